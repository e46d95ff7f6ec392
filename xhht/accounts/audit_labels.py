"""How the change log tells this app's changes (see xhht/audit/sentences.py)."""

ACTIONS = {"user_create": "tạo tài khoản", "user_update": "sửa tài khoản"}
FIELDS = {"username": "tên đăng nhập", "password": "mật khẩu"}
