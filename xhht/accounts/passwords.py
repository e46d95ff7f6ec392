"""Password rules: Django's validators (settings.AUTH_PASSWORD_VALIDATORS), applied wherever a password is set.

Django ships no Vietnamese text for the minimum-length rule, so that one validator speaks it here.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự."

    def get_help_text(self) -> str:
        return f"Mật khẩu cần ít nhất {self.min_length} ký tự."


def password_problems(password: str, *, user: Any = None) -> list[str]:
    """The Vietnamese reasons ``password`` is refused for ``user`` (empty when it is acceptable)."""
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        return list(exc.messages)
    return []
