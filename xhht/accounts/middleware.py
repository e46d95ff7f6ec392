"""Session rules of issue 12, hole 5: idle expiry and the second factor."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from xhht.accounts.access import requires_two_factor

# A session is renewed (its expiry pushed SESSION_COOKIE_AGE ahead) at most once a minute, so that a
# busy page does not write the session table on every request.
RENEW_AFTER_SECONDS = 60
SEEN_KEY = "_xhht_seen"


class IdleSessionMiddleware:
    """A session ends SESSION_COOKIE_AGE (default 8 hours) after its last request, not after its login."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            if now - int(request.session.get(SEEN_KEY, 0)) >= RENEW_AFTER_SECONDS:
                request.session[SEEN_KEY] = now  # modified: saved with a fresh expiry and cookie
        return self.get_response(request)


def two_factor_required() -> bool:
    return str(getattr(settings, "XHHT_TWO_FACTOR", "required")) != "off"


class TwoFactorMiddleware:
    """Users of the roles in accounts.access.TWO_FACTOR_ROLES reach no page before a TOTP code is verified
    (enrolment first when they have no device). Static files, logout and the verification page itself pass."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if two_factor_required() and requires_two_factor(user) and not user.is_verified():  # type: ignore[union-attr]
            verify, logout = reverse("accounts:two_factor"), reverse("logout")
            if not (request.path in {verify, logout} or request.path.startswith(settings.STATIC_URL)):
                return HttpResponseRedirect(f"{verify}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
