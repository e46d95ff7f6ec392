"""``xhht backup DIR`` → ``xhht restore DIR`` into an empty instance: database, files, settings (both databases)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from xhht.core.tests.instance import Instance

SNAPSHOT = """
from django.core.files.storage import default_storage
from xhht.accounts.models import User
from xhht.audit.models import AuditEntry
from xhht.units.models import Unit
out = {"users": sorted(User.objects.values_list("username", flat=True)), "units": Unit.objects.count(),
       "audit": AuditEntry.objects.count(),
       "file": default_storage.open("evidence/bien-ban.pdf").read().decode() if default_storage.exists("evidence/bien-ban.pdf") else None}
"""


@pytest.fixture
def source(tmp_path: Path) -> Any:
    inst = Instance(tmp_path / "source", "bk_src")
    inst.xhht("migrate", "-v0")
    inst.python("from xhht.demo.foundation import load\nload()\n"
                "from django.core.files.base import ContentFile\nfrom django.core.files.storage import default_storage\n"
                "default_storage.save('evidence/bien-ban.pdf', ContentFile(b'%PDF bien ban hop'))")
    yield inst
    inst.drop()


def test_backup_restores_into_an_empty_instance(source: Instance, tmp_path: Path) -> None:
    before = source.python(SNAPSHOT)
    assert before["users"] and before["file"] == "%PDF bien ban hop"
    backup = tmp_path / "backups" / "2026-12-01"
    assert "Đã sao lưu" in source.xhht("backup", str(backup)).stdout
    manifest = json.loads((backup / "manifest.json").read_text())
    assert set(manifest["files"]) == {"database." + ("pgdump" if source.pg_url else "sqlite3"), "media.tar.gz", "settings.json"}
    saved_settings = (backup / "settings.json").read_text()
    secret = (source.data_dir / "secret_key").read_text().strip()
    assert secret not in saved_settings and "secret_key_sha256" in saved_settings  # never the key in clear

    target = Instance(tmp_path / "target", "bk_dst")
    try:
        target.xhht("migrate", "-v0")  # an instance that has run once: empty but migrated
        restored = target.xhht("restore", str(backup))
        assert "Đã khôi phục" in restored.stdout
        assert "SECRET_KEY" in restored.stderr  # another key here: the operator is told what that means
        assert target.python(SNAPSHOT) == before
        # A second restore over data is refused, unless forced.
        refused = target.xhht("restore", str(backup), check=False)
        assert refused.returncode != 0 and "đã có dữ liệu" in refused.stderr
    finally:
        target.drop()


def test_a_damaged_backup_is_refused_before_anything_changes(source: Instance, tmp_path: Path) -> None:
    backup = tmp_path / "b"
    source.xhht("backup", str(backup))
    with (backup / "media.tar.gz").open("ab") as handle:
        handle.write(b"x")
    target = Instance(tmp_path / "target2", "bk_dst2")
    try:
        refused = target.xhht("restore", str(backup), check=False)
        assert refused.returncode != 0 and "SHA-256 không khớp" in refused.stderr
        # Backing up into a folder that already has files is refused too.
        assert "đã có dữ liệu" in source.xhht("backup", str(backup), check=False).stderr
    finally:
        target.drop()
