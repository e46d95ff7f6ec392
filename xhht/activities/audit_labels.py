"""How the change log tells this app's changes (see xhht/audit/sentences.py).

Registers' actions are ``<register>_create|update|delete|replace``: the verb comes from the suffix and the
noun from the model's verbose_name (xhht/audit/sentences.py), so a new register needs no line here."""

FIELDS = {"school_year": "năm học", "centre": "trung tâm", "centre_id": "trung tâm", "amount": "số tiền"}
