"""Personal API tokens (issue 17): create, revoke, and find the owner of a presented token.

The secret is ``xhht_`` + ``secrets.token_urlsafe(32)``; only its sha256 is stored, so a stolen database does not
give working tokens. Writes are audited like every change to an account.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.utils import timezone

from xhht.accounts.models import ApiToken, User
from xhht.audit.services import audit_record

TOKEN_PREFIX = "xhht_"
MAX_ACTIVE_TOKENS = 20


class TokenError(ValueError):
    """A refused token change, with a Vietnamese message."""


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def api_token_create(*, actor: Any, user: User, name: str, expires_on: date | None = None) -> CreatedToken:
    """A new token of ``user`` (only the user creates their own), valid until the end of ``expires_on`` if given."""
    name = (name or "").strip()
    if not getattr(actor, "is_authenticated", False) or actor.pk != user.pk:
        raise TokenError("Chỉ chính người dùng tạo khóa API của mình.")
    if not name:
        raise TokenError("Hãy đặt tên cho khóa (ví dụ: «Tập lệnh nhập số liệu hằng tháng»).")
    if len(name) > 100:
        raise TokenError("Tên khóa dài quá 100 ký tự.")
    now = timezone.now()
    expires_at = None
    if expires_on is not None:
        if expires_on < timezone.localdate(now):
            raise TokenError("Ngày hết hạn đã qua: hãy chọn một ngày từ hôm nay trở đi.")
        expires_at = timezone.make_aware(datetime.combine(expires_on, time.max))
    with transaction.atomic():
        active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).exclude(expires_at__lt=now).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise TokenError(f"Mỗi người dùng có tối đa {MAX_ACTIVE_TOKENS} khóa còn hiệu lực: hãy thu hồi khóa không dùng nữa.")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(user=user, name=name, prefix=secret[: len(TOKEN_PREFIX) + 6], key_hash=token_hash(secret),
                                        expires_at=expires_at)
        audit_record(actor=actor, action="api_token_create", instance=user, unit_code=user.unit_id or "",
                     changes={"api_token": [None, f"#{token.pk} {token.prefix}…"]},
                     note=f"Tạo khóa API «{name}»" + (f", hết hạn {expires_on:%d/%m/%Y}" if expires_on else ""))
    return CreatedToken(token, secret)


def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke ``token`` (its owner, or an administrator through the admin site); a revoked token answers 401."""
    if not getattr(actor, "is_authenticated", False) or (actor.pk != token.user_id and not actor.is_superuser):
        raise TokenError("Bạn không thu hồi được khóa này.")
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action="api_token_revoke", instance=locked.user, unit_code=locked.user.unit_id or "",
                         changes={"api_token": [f"#{locked.pk} {locked.prefix}…", None]}, note=f"Thu hồi khóa API «{locked.name}»")
    return locked


def api_token_owner(raw: str) -> tuple[User, ApiToken] | None:
    """The active user and token that ``raw`` names; None for an unknown, expired or revoked token."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(raw)).first()
    now = timezone.now()
    if token is None or not token.is_active_at(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # at most once a minute: not a write per request
    return token.user, token


def api_tokens_of(*, user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id"))
