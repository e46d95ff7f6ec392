"""Settings, read from the environment.

With nothing set, XHHT runs on a SQLite file in its own data folder (``XHHT_DATA_DIR``,
default ``~/.local/share/xhht``) with a secret key generated once and kept there, so a
fresh machine needs no configuration at all.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("XHHT_DATA_DIR", Path.home() / ".local" / "share" / "xhht"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # Generated once and kept: sessions survive restarts. Created with mode 0600 from the first byte
        # (never readable by others, even for an instant) and exclusively (two starting workers race here).
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'xhht.sqlite3'}"),
        conn_max_age=60,
        # A kept connection (one per web thread: XHHT_WORKERS × XHHT_THREADS, 16 by default) is checked before
        # each request reuses it, so a PostgreSQL restart costs one reconnection, not an error page.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # Wait (rather than fail with "database is locked") while another connection writes: an import, the worker.
    DATABASES["default"]["OPTIONS"]["timeout"] = int(os.environ.get("XHHT_SQLITE_TIMEOUT", "60"))
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Two caches. "default" is each process's own memory (Django's LocMemCache), for what a process may keep to itself
# (the report renderer's memo of the keys a report read). "shared" is a table of the database itself (Django's
# DatabaseCache, table xhht_cache made by xhht/core/migrations/0001_cache_table.py wherever `migrate` runs): every
# gunicorn worker, the job worker and the commands see the same entries, on SQLite and PostgreSQL, with no server to
# run. The API's rate counts live there (XHHT_API_RATE_CACHE below). MAX_ENTRIES bounds the table: past it, Django
# deletes the expired entries, then a third of the rest.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "xhht-local"},
    "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "xhht_cache",
               "OPTIONS": {"MAX_ENTRIES": 10000}},
}
# The official report's page keeps its rendered document here, per report and data version
# (xhht.official_reports.selectors.report_page): one render serves every worker until the data changes.
XHHT_REPORT_PAGE_CACHE = os.environ.get("XHHT_REPORT_PAGE_CACHE", "shared")

# One Django app per capability; the folder names say what each does.
XHHT_APPS = [
    "xhht.core",
    "xhht.audit",
    "xhht.jobs",
    "xhht.units",
    "xhht.organisations",
    "xhht.accounts",
    "xhht.steering",
    "xhht.indicators",
    "xhht.literacy",
    "xhht.reporting",
    "xhht.learning_models",
    "xhht.activities",
    "xhht.official_reports",
    "xhht.report_checker",
    "xhht.demo",
    "xhht.exchange",
    "xhht.api",
]

INSTALLED_APPS = [
    # First, so its Vietnamese registration/ templates win over the admin's.
    "xhht.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    *[app for app in XHHT_APPS if app != "xhht.core"],
]

MIDDLEWARE = [
    "xhht.core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # /api/v1/ only (issue 17): a body over the limit → 413 before anything reads it; over the rate → 429.
    "xhht.api.limits.ApiLimitsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xhht.urls"
WSGI_APPLICATION = "xhht.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["xhht.core.templatetags.vn"],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "xhht.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed-login throttling: 5 failures per user name and address lock for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a reverse proxy the client is the address that proxy appended to X-Forwarded-For (xhht/core/client.py).
AXES_CLIENT_IP_CALLABLE = "xhht.core.client.client_address"
XHHT_TRUSTED_PROXIES = int(os.environ.get("XHHT_TRUSTED_PROXIES", "0"))

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's Vietnamese locale leaves dates ambiguous; ours reads dd/mm/yyyy.
FORMAT_MODULE_PATH = ["xhht.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Uploads: a commune officer's workbook is small; anything this big is refused before parsing.
XHHT_MAX_UPLOAD_BYTES = int(os.environ.get("XHHT_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# Issue 17: the largest DHIS2 dataValueSet / ADX payload read by one import (checked before parsing).
XHHT_EXCHANGE_MAX_BYTES = int(os.environ.get("XHHT_EXCHANGE_MAX_BYTES", str(50 * 1024 * 1024)))
# The largest payload imported within the API request (DHIS2's default, synchronous); a bigger one, or any sent with
# ?async=true, is imported by a job in ``xhht worker`` (202 with the job's URL).
XHHT_EXCHANGE_INLINE_MAX_BYTES = int(os.environ.get("XHHT_EXCHANGE_INLINE_MAX_BYTES", str(1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Operations (issue 12): JSON-line logs to stdout and <data dir>/logs/xhht.log; jobs; health.
(DATA_DIR / "logs").mkdir(exist_ok=True)
from xhht.core.logconf import logging_config  # noqa: E402 - settings read top to bottom

LOGGING = logging_config(log_dir=str(DATA_DIR / "logs"), level=os.environ.get("LOG_LEVEL", "INFO"))
# A running job whose worker has not beaten for this long is taken as dead (retried or failed).
XHHT_JOB_STALE_SECONDS = int(os.environ.get("XHHT_JOB_STALE_SECONDS", "300"))
# /healthz answers 503 when the data folder's disk has less free space than this.
XHHT_HEALTH_MIN_FREE_BYTES = int(os.environ.get("XHHT_HEALTH_MIN_FREE_BYTES", str(1024 * 1024 * 1024)))
# Finished jobs (their state and messages) are deleted after this many days.
XHHT_JOB_KEEP_DAYS = int(os.environ.get("XHHT_JOB_KEEP_DAYS", "90"))
# The worker's scheduling priority (nice): its imports and builds yield the cores to page views (0 to keep the web's).
XHHT_WORKER_NICE = int(os.environ.get("XHHT_WORKER_NICE", "10"))


# --- Security (issue 12, holes 5 and 6) ------------------------------------------------------------
# HTTPS: set XHHT_HTTPS=1 when XHHT is served over HTTPS (behind the reverse proxy of docs/deployment.md,
# which must send X-Forwarded-Proto). Then cookies are Secure and browsers are told to keep to HTTPS (HSTS).
HTTPS = _env_bool("XHHT_HTTPS", _env_bool("SECURE_COOKIES", False))
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("XHHT_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("XHHT_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_SSL_REDIRECT = _env_bool("XHHT_SSL_REDIRECT", True)
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): no inline script anywhere (page behaviour lives in static files,
# xhht/core/static/xhht/xhht.js); inline style attributes stay allowed (no script can run from them).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Features no XHHT page uses are switched off for every page.
XHHT_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
INSTALLED_APPS += ["csp", "django_otp", "django_otp.plugins.otp_totp"]
MIDDLEWARE += [
    "csp.middleware.CSPMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "xhht.core.middleware.SecurityHeadersMiddleware",
    "xhht.accounts.middleware.IdleSessionMiddleware",
    "xhht.accounts.middleware.TwoFactorMiddleware",
]

# Sessions end after XHHT_SESSION_IDLE_HOURS without a request (default 8); a session in use is renewed.
SESSION_COOKIE_AGE = int(float(os.environ.get("XHHT_SESSION_IDLE_HOURS", "8")) * 3600)
# Two-factor (TOTP) for district, province and administrator roles. "required": such a user must verify
# a code at each login, and enrol at the first login when they have no device yet. "off" is for the
# local demo only (its well-known accounts and passwords are public anyway): `xhht demo` says so.
XHHT_TWO_FACTOR = os.environ.get("XHHT_TWO_FACTOR", "required").strip().lower()
OTP_TOTP_ISSUER = "XHHT"

# --- API (issue 17) ----------------------------------------------------------------------------------
# Requests per caller (token, else web session, else address) and window in seconds. The count lives in the
# cache named by XHHT_API_RATE_CACHE, by default the database's "shared" one (CACHES above), so that all gunicorn
# workers count together (one atomic statement per request, xhht.api.limits.rate_count); a per-process cache
# ("default") would let each count alone (docs/api.md).
XHHT_API_RATE_LIMIT = os.environ.get("XHHT_API_RATE_LIMIT", "300/60")
XHHT_API_RATE_CACHE = os.environ.get("XHHT_API_RATE_CACHE", "shared")
# Largest request body (a person file upload); a JSON body is bounded by DATA_UPLOAD_MAX_MEMORY_SIZE as well.
XHHT_API_MAX_BODY_BYTES = int(os.environ.get("XHHT_API_MAX_BODY_MB", "25")) * 1024 * 1024
