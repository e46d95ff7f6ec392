"""Who is calling: the client's address, the same for every part that counts or limits by it.

Behind the reverse proxy of docs/deployment.md every request reaches XHHT from 127.0.0.1, and the client's own
address is the last one nginx appended to ``X-Forwarded-For``. Anything a client writes into that header itself
comes before it and is never trusted. ``XHHT_TRUSTED_PROXIES`` says how many proxies stand in front (0, the
default, when XHHT faces the network itself: the header is ignored and ``REMOTE_ADDR`` is the client).
Used by the login lockout (django-axes, ``AXES_CLIENT_IP_CALLABLE``) and the API's rate limit: without it, behind
nginx, five wrong passwords from anyone would lock a user out for everyone, and every anonymous API caller would
share one count.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The caller's address: ``REMOTE_ADDR``, or with ``XHHT_TRUSTED_PROXIES`` = N, the N-th address from the right
    of ``X-Forwarded-For`` (the one the outermost trusted proxy saw). A header too short or not an address falls
    back to ``REMOTE_ADDR``."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = int(getattr(settings, "XHHT_TRUSTED_PROXIES", 0))
    if proxies <= 0:
        return remote
    chain = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part.strip()]
    if len(chain) < proxies:
        return remote
    candidate = chain[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
