"""The user's own account (profile, the second factor of issue 12, hole 5), the home redirect and the change log's scope."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from xhht.accounts.access import is_administrator, requires_two_factor, scope_codes
from xhht.accounts.forms import ApiTokenForm
from xhht.accounts.middleware import two_factor_required
from xhht.accounts.models import Role
from xhht.accounts.services import totp_device_confirm, totp_device_pending
from xhht.accounts.tokens import TokenError, api_token_create, api_token_revoke, api_tokens_of
from xhht.audit import views as audit_views


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """District and province officers start from who has reported and who is late; others at their unit.

    (Moved from core.views: core sits below accounts and does not import it.)"""
    user = request.user
    if getattr(user, "role", None) in {Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER}:
        return redirect("reporting:dashboard")
    if user.unit_id and not is_administrator(user):  # type: ignore[union-attr]
        return redirect("units:detail", code=user.unit_id)  # type: ignore[union-attr]
    return redirect("units:tree")


@login_required
def change_log(request: HttpRequest) -> HttpResponse:
    """/nhat-ky/: the audit log's page, limited to the user's scope by the access policy."""
    return audit_views.log(request, scope=scope_codes(request.user))


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The user's account; also their personal API tokens (issue 17): created here (the secret shown once), revoked here."""
    user: Any = request.user
    created = None
    token_error = ""
    token_form = ApiTokenForm(auto_id="id_token_%s")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "api_token_create":
                token_form = ApiTokenForm(request.POST, auto_id="id_token_%s")
                if not token_form.is_valid():
                    raise TokenError(" ".join(str(e) for e in token_form.errors["expires_on"]))
                created = api_token_create(actor=user, user=user, name=request.POST.get("name", ""),
                                           expires_on=token_form.cleaned_data["expires_on"])
                token_form = ApiTokenForm(auto_id="id_token_%s")  # the next token starts blank
            elif action == "api_token_revoke":
                pk = request.POST.get("token", "")
                token = next((t for t in api_tokens_of(user=user) if str(t.pk) == pk), None)
                if token is None:
                    raise Http404("Không có khóa này.")
                api_token_revoke(actor=user, token=token)
                return redirect("accounts:profile")
        except TokenError as exc:
            token_error, status = str(exc), 400
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return render(request, "accounts/profile.html", {
        "device": device, "two_factor_role": requires_two_factor(user), "two_factor_required": two_factor_required(),
        "tokens": api_tokens_of(user=user), "created": created, "token_error": token_error, "now": timezone.now(),
        "token_form": token_form,
    }, status=status)


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Verify the TOTP code at login; enrol first (QR code and secret) when the user has no device yet,
    or when a verified user asks to change device (``doi=1``)."""
    user = request.user
    if not requires_two_factor(user):
        return redirect("accounts:profile")  # only the roles of accounts.access.TWO_FACTOR_ROLES use a second factor
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    changing = (request.POST.get("doi") or request.GET.get("doi")) == "1" and user.is_verified()  # type: ignore[union-attr]
    enrolling = confirmed is None or changing
    device = totp_device_pending(user=user) if enrolling else confirmed  # type: ignore[arg-type]
    error = ""
    if request.method == "POST":
        token = "".join(request.POST.get("token", "").split())
        ok = totp_device_confirm(actor=user, device=device, token=token) if enrolling else device.verify_token(token)
        if ok:
            otp_login(request, device)
            return redirect(next_url)
        error = "Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã 6 chữ số đang hiện trên ứng dụng."
    context = {"enrolling": enrolling, "changing": changing, "next": next_url, "error": error}
    if enrolling:
        context["qr"] = mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4))  # noqa: S308 — segno's own SVG
        secret = b32encode(device.bin_key).decode()
        context["secret"] = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    return render(request, "accounts/two_factor.html", context, status=200 if not error else 400)
