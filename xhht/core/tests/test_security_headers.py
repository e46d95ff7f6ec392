"""Issue 12, hole 6: CSP without inline script, Permissions-Policy, no Server banner, HSTS and Secure
cookies when HTTPS is configured, and the secret-key file created with mode 0600."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.test import Client

from xhht.demo.foundation import NAM_TUAN

TEMPLATES = Path(__file__).resolve().parents[2]


def test_every_page_forbids_inline_script(client_for: Any, nam_tuan_officer: Any) -> None:
    client = client_for(nam_tuan_officer)
    for url in ["/dang-nhap/", f"/don-vi/{NAM_TUAN}/", "/van-ban/", "/tai-khoan/"]:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]*)", csp).group(1)  # type: ignore[union-attr]
        assert script_src.strip() == "'self'", (url, csp)
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
        assert "Server" not in response.headers


def test_no_template_carries_inline_script_or_handlers() -> None:
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", text, flags=re.S):
            if "src=" not in match.group(1) or match.group(2).strip():
                offenders.append(f"{path}: inline <script>")
        for match in re.finditer(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{path}: {match.group(0).strip()}")
        if "javascript:" in text:
            offenders.append(f"{path}: javascript: URL")
    assert offenders == []


def _settings_in_child(env: dict[str, str], data_dir: Path) -> dict[str, Any]:
    code = ("import json, django; from django.conf import settings as s; django.setup(); "
            "print(json.dumps({k: getattr(s, k, None) for k in ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
            "'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER', 'SECURE_SSL_REDIRECT']}))")
    child_env = {k: v for k, v in os.environ.items() if k not in {"XHHT_HTTPS", "SECURE_COOKIES", "SECRET_KEY"}}
    child_env.update(env, XHHT_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="xhht.settings")
    out = subprocess.run([sys.executable, "-c", code], env=child_env, capture_output=True, text=True, check=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def test_https_turns_on_hsts_and_secure_cookies(tmp_path: Path) -> None:
    plain = _settings_in_child({}, tmp_path / "a")
    assert plain["SESSION_COOKIE_SECURE"] is False and not plain["SECURE_HSTS_SECONDS"]
    https = _settings_in_child({"XHHT_HTTPS": "1"}, tmp_path / "b")
    assert https["SESSION_COOKIE_SECURE"] is True and https["CSRF_COOKIE_SECURE"] is True
    assert https["SECURE_HSTS_SECONDS"] >= 180 * 24 * 3600 and https["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    # Each fresh data folder got a secret key readable by its owner only.
    for folder in ["a", "b"]:
        mode = stat.S_IMODE((tmp_path / folder / "secret_key").stat().st_mode)
        assert mode == 0o600, oct(mode)


def test_hsts_header_on_https_requests(client: Client, demo: None, settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/dang-nhap/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_secret_key_file_is_never_readable_by_others(tmp_path: Path) -> None:
    """Even with a umask of 000 the file is created 0600 (it used to be written with the umask's mode and
    chmod-ed afterwards, readable by others in between): chmod is disabled in the child to show it."""
    code = "import os, pathlib; os.umask(0); pathlib.Path.chmod = lambda *a, **k: None; os.chmod = lambda *a, **k: None; import xhht.settings"
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(XHHT_DATA_DIR=str(tmp_path))
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
