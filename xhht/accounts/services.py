"""Creating and changing users; each change is audited in its transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from xhht.accounts.models import Role, User
from xhht.accounts.passwords import password_problems
from xhht.audit.services import audit_record, diff, snapshot
from xhht.organisations.models import Organisation
from xhht.units.models import Unit

AUDITED_FIELDS = ["username", "first_name", "last_name", "email", "role", "unit_id", "organisation_id", "phone", "position", "is_active", "is_staff", "is_superuser"]


def user_create_or_update(
    *,
    actor: Any,
    username: str,
    password: str | None,
    role: str,
    unit: Unit | None = None,
    organisation: Organisation | None = None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    position: str = "",
) -> User:
    """Create the user, or bring an existing one to these values (the demo loader relies on this)."""
    if role not in Role.values:
        raise ValueError(f"Vai trò không hợp lệ: {role}")
    if role != Role.ADMINISTRATOR and unit is None and organisation is None:
        raise ValueError("Người dùng (trừ quản trị) phải thuộc một đơn vị.")
    if organisation is not None and unit is None:
        unit = organisation.unit
    last, _, first = full_name.rpartition(" ")
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        before = snapshot(user, AUDITED_FIELDS) if user else {}
        user = user or User(username=username)
        user.role = role
        user.unit = unit
        user.organisation = organisation
        user.first_name, user.last_name = first, last
        user.email, user.phone, user.position = email, phone, position
        user.is_staff = role == Role.ADMINISTRATOR
        user.is_superuser = role == Role.ADMINISTRATOR
        password_changed = bool(password) and not user.check_password(password)
        if password_changed:
            # Django's validators, as the password-change page applies them (issue 12, hole 5).
            if problems := password_problems(password or "", user=user):
                raise ValueError("Mật khẩu không được chấp nhận: " + " ".join(problems))
            user.set_password(password)
        user.save()
        changes = diff(before, snapshot(user, AUDITED_FIELDS))
        if password_changed:
            changes["password"] = ["***", "***"]
        if changes:
            audit_record(actor=actor, action="user_update" if before else "user_create", instance=user, unit_code=user.unit_id or "", changes=changes)
    return user


def totp_device_pending(*, user: User) -> Any:
    """The user's TOTP device waiting for its first code (created with a fresh secret when there is none)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)


def totp_device_confirm(*, actor: Any, device: Any, token: str) -> bool:
    """Enrol ``device`` if ``token`` is its current code: it becomes the user's only device, audited."""
    with transaction.atomic():
        if not device.verify_token(token):
            return False
        user = device.user
        replaced = type(device).objects.filter(user=user).exclude(pk=device.pk).delete()[0]
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(actor=actor, action="two_factor_enrol", instance=user, unit_code=user.unit_id or "",
                     changes={"two_factor": ["đổi thiết bị" if replaced else None, "TOTP"]})
    return True
