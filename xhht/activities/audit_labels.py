"""How the change log tells this app's changes (see xhht/audit/sentences.py).

Registers' actions are ``<register>_create|update|delete|replace``: the verb comes from the suffix and the
noun from the model's verbose_name (xhht/audit/sentences.py), so a new register needs no line here."""

FIELDS = {"school_year": "năm học", "centre": "trung tâm", "centre_id": "trung tâm", "amount": "số tiền"}


def _vocabulary_label(code: str) -> str | None:
    from xhht.activities.definitions import catalogue

    for pairs in catalogue().vocabularies.values():
        for value, label in pairs:
            if value == code:
                return str(label)
    return None


def option_label(category: str, code: str) -> str | None:
    """A register's disaggregation option (sector=non_farm) by its vocabulary label ("Phi nông nghiệp")."""
    return _vocabulary_label(code)


def value_label(key: str, value: object) -> str | None:
    """A register's choice (funding_source "state_budget") by its vocabulary label ("Ngân sách nhà nước")."""
    return _vocabulary_label(value) if isinstance(value, str) and "_" in value else None
