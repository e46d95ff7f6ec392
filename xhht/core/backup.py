"""Back up and restore an instance: the database, the uploaded and issued files, and the settings that must survive.

A backup is one folder:

* ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the site runs) or
  ``database.pgdump`` (``pg_dump --format=custom``, restored with ``pg_restore``);
* ``media.tar.gz``: every file under MEDIA_ROOT (evidence, documents, issued reports);
* ``settings.json``: the configuration that must survive, without secrets: the secret key only as its
  SHA-256 fingerprint (keep the key itself in your secret store: restoring with another key ends every
  session and invalidates the signed tokens of workbooks already sent out);
* ``manifest.json``: when, what, and the SHA-256 of each file, checked before anything is restored.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections

FORMAT = 1
SURVIVING_SETTINGS = ["ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "TIME_ZONE", "LANGUAGE_CODE"]


class BackupError(Exception):
    """A clear Vietnamese message: nothing (more) was changed."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432),
            "--username", str(db.get("USER") or "postgres"), "--dbname", str(db["NAME"])]
    return args, env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]} thất bại (mã {result.returncode}): {result.stderr.strip()[-2000:]}")


def backup_create(*, target: Path) -> dict[str, Any]:
    """Write a backup into ``target`` (which must not exist or be empty); returns its manifest."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"Thư mục {target} đã có dữ liệu; hãy chọn một thư mục mới cho mỗi bản sao lưu.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        vendor = connection.vendor
        if vendor == "sqlite":
            source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
            copy = sqlite3.connect(partial / "database.sqlite3")
            with copy:
                source.backup(copy)
            copy.close()
            source.close()
        elif vendor == "postgresql":
            args, env = _pg_env()
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(partial / "database.pgdump"), *args], env)
        else:
            raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu {vendor}.")
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(partial / "media.tar.gz", "w:gz") as tar:
            if media.exists():
                tar.add(media, arcname="media")
        key = str(settings.SECRET_KEY).encode()
        (partial / "settings.json").write_text(json.dumps({
            "secret_key_sha256": hashlib.sha256(key).hexdigest(),
            **{name: getattr(settings, name, None) for name in SURVIVING_SETTINGS},
        }, ensure_ascii=False, indent=2), encoding="utf-8")
        manifest = {
            "format": FORMAT, "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "vendor": vendor,
            "files": {p.name: {"sha256": _sha256(p), "bytes": p.stat().st_size} for p in sorted(partial.iterdir())},
        }
        (partial / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        if target.exists():
            target.rmdir()
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


def _manifest(source: Path) -> dict[str, Any]:
    path = source / "manifest.json"
    if not path.exists():
        raise BackupError(f"{source} không phải bản sao lưu XHHT (thiếu manifest.json).")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source}: định dạng sao lưu {manifest.get('format')} không được hỗ trợ.")
    for name, meta in manifest["files"].items():
        if not (source / name).exists() or _sha256(source / name) != meta["sha256"]:
            raise BackupError(f"{source}/{name}: thiếu tệp hoặc tệp đã bị thay đổi (mã SHA-256 không khớp); không khôi phục.")
    return manifest


def _instance_has_data() -> bool:
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in ("accounts_user", "units_unit"):
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")
                if cursor.fetchone():
                    return True
    return False


def backup_restore(*, source: Path, force: bool = False) -> list[str]:
    """Restore the backup in ``source`` into this (empty) instance; returns warnings for the operator."""
    manifest = _manifest(source)
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupError(f"Bản sao lưu là của {manifest['vendor']}, còn hệ thống này dùng {vendor}; "
                          "hãy khôi phục vào cùng loại cơ sở dữ liệu.")
    if _instance_has_data() and not force:
        raise BackupError("Hệ thống này đã có dữ liệu (người dùng, đơn vị); chỉ khôi phục vào một hệ thống trống, "
                          "hoặc thêm --force để ghi đè toàn bộ.")
    connections.close_all()
    if vendor == "sqlite":
        target = Path(str(settings.DATABASES["default"]["NAME"]))
        backup = sqlite3.connect(source / "database.sqlite3")
        live = sqlite3.connect(target, timeout=60)
        with live:
            backup.backup(live)
        live.close()
        backup.close()
    else:
        args, env = _pg_env()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", *args,
              str(source / "database.pgdump")], env)
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "media.tar.gz", "r:gz") as tar:
        members = [m for m in tar.getmembers() if m.name == "media" or m.name.startswith("media/")]
        for member in members:
            member.name = member.name[len("media"):].lstrip("/") or "."
        tar.extractall(media, members=members, filter="data")
    warnings = []
    saved = json.loads((source / "settings.json").read_text(encoding="utf-8"))
    if saved.get("secret_key_sha256") != hashlib.sha256(str(settings.SECRET_KEY).encode()).hexdigest():
        warnings.append("Khóa bí mật (SECRET_KEY) của hệ thống này khác khóa lúc sao lưu: mọi phiên đăng nhập hết hạn và "
                        "các mã ký trong tệp Excel đã gửi đi không còn dùng được. Hãy đặt lại đúng khóa cũ (biến SECRET_KEY "
                        "hoặc tệp secret_key trong thư mục dữ liệu) nếu còn giữ.")
    for name in SURVIVING_SETTINGS:
        if saved.get(name) != getattr(settings, name, None):
            warnings.append(f"{name} lúc sao lưu là {saved.get(name)!r}, nay là {getattr(settings, name, None)!r}.")
    return warnings
