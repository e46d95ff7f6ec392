"""How the change log tells this app's changes (see xhht/audit/sentences.py)."""

ACTIONS = {"user_create": "tạo tài khoản", "user_update": "sửa tài khoản",
           "api_token_create": "tạo khóa API", "api_token_revoke": "thu hồi khóa API"}
FIELDS = {"username": "tên đăng nhập", "password": "mật khẩu", "api_token": "khóa API"}
