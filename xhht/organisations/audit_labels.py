"""How the change log tells this app's changes (see xhht/audit/sentences.py)."""

ACTIONS = {"organisation_create": "thêm cơ quan, tổ chức", "organisation_update": "sửa cơ quan, tổ chức"}
