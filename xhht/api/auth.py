"""Who calls: a personal token (``Authorization: Bearer xhht_…``) or the web's own session (same-origin scripts).

Either way ``request.user`` becomes the person, so every router checks access through xhht/accounts/access.py exactly
as the web does. A session caller's writes need the CSRF token, as a form on the web does; a token caller sends none
(a token is not sent by the browser on its own, so it cannot be forged across sites).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.utils import check_csrf

from xhht.accounts.tokens import api_token_owner
from xhht.api.errors import ApiError
from xhht.audit.services import audit_channel_mark

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ApiAuth:
    """django-ninja auth callable: returns the user (truthy) or raises :class:`ApiError` 401/403."""

    openapi_type = "http"

    def __call__(self, request: HttpRequest) -> Any:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header:
            scheme, _, raw = header.partition(" ")
            if scheme.lower() != "bearer" or not raw.strip():
                raise ApiError(401, "Tiêu đề Authorization phải có dạng «Bearer <khóa API>».", "Authorization")
            found = api_token_owner(raw.strip())
            if found is None:
                raise ApiError(401, "Khóa API không hợp lệ, đã hết hạn hoặc đã bị thu hồi.", "Authorization")
            user, token = found
            request.user = user
            request.api_token = token  # type: ignore[attr-defined]
            audit_channel_mark(f"qua API, khóa #{token.pk} {token.prefix}…")
            return user
        session_user = getattr(request, "user", None)
        if session_user is not None and session_user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise ApiError(403, "Thiếu hoặc sai mã CSRF: trang web gửi kèm mã này khi ghi (tiêu đề X-CSRFToken).", "X-CSRFToken")
            audit_channel_mark("qua API, phiên đăng nhập web")
            return session_user
        raise ApiError(401, "Cần đăng nhập: gửi khóa API trong tiêu đề «Authorization: Bearer <khóa>».", "Authorization")
