"""The whole-instance archive: the demo exported, the database emptied, the archive imported: every row the same."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from xhht.exchange.instance import InstanceError, _lines, instance_export, instance_import, instance_models

pytestmark = pytest.mark.usefixtures("official_reports_demo", "db")


def _snapshot() -> dict[str, list[str]]:
    return {m._meta.label_lower: list(_lines(m)) for m in instance_models()}


def _wipe() -> None:
    for model in reversed(instance_models()):
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through  # type: ignore[attr-defined]
            through._base_manager.all()._raw_delete(through._base_manager.db)
        model._base_manager.all()._raw_delete(model._base_manager.db)


@pytest.fixture
def with_file(demo: None) -> Any:
    from xhht.steering.models import LegalDocument

    doc = LegalDocument.objects.order_by("pk").first()
    assert doc is not None
    doc.file.save("ke-hoach-test.pdf", ContentFile(b"%PDF-1.4 ke hoach"), save=True)
    yield doc.file.name
    if default_storage.exists(doc.file.name):
        default_storage.delete(doc.file.name)


def test_round_trip_into_an_empty_instance(tmp_path: Path, with_file: str) -> None:
    from xhht.indicators.models import DataValue
    from xhht.reporting.models import Submission
    from xhht.units.models import Unit, UnitChange, UnitVersion

    from xhht.demo.foundation import reforms_load

    reforms_load()  # the 2020 merger and the 2025 reform: unit changes and versions (rolled back after the test)
    before = _snapshot()
    assert Unit.objects.count() > 20 and UnitVersion.objects.exists() and UnitChange.objects.exists()
    assert DataValue.objects.count() > 50 and Submission.objects.exists()
    archive = tmp_path / "xhht.zip"
    manifest = instance_export(path=archive)
    assert manifest["format"] == "xhht-instance" and manifest["format_version"] == 1
    assert {t["model"]: t["rows"] for t in manifest["tables"]}["units.unit"] == Unit.objects.count()
    assert [f["path"] for f in manifest["files"]] == [with_file]
    with zipfile.ZipFile(archive) as z:
        names = set(z.namelist())
        assert {"manifest.json", "tables/units.unit.jsonl", "tables/indicators.datavalue.jsonl", f"files/{with_file}",
                "catalogue/indicators/catalogue/elements.yaml"} <= names
        user_line = json.loads(z.read("tables/accounts.user.jsonl").splitlines()[0])
        assert user_line["fields"]["password"].startswith("!")  # no password hash leaves the instance
    _wipe()
    default_storage.delete(with_file)
    assert not Unit.objects.exists()
    result = instance_import(path=archive)
    assert result["files"] == 1 and result["catalogue_differences"] == []
    after = _snapshot()
    after["audit.auditentry"] = after["audit.auditentry"][:len(before["audit.auditentry"])]  # + the import's own entry
    differ = {k: next(((a, b) for a, b in zip(before[k], after[k], strict=False) if a != b), (len(before[k]), len(after[k])))
              for k in before if after[k] != before[k]}
    assert not differ, differ
    with default_storage.open(with_file, "rb") as handle:
        assert handle.read() == b"%PDF-1.4 ke hoach"
    from xhht.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="instance_import").exists()
    # New rows get fresh ids after the imported ones (sequences reset on PostgreSQL).
    unit = Unit.objects.create(code="99999", name="Thử", kind="commune")
    assert UnitVersion.objects.create(unit=unit, name="Thử", kind="commune").pk > max(int(json.loads(x)["pk"]) for x in before["units.unitversion"])


def test_refused_into_a_non_empty_instance(tmp_path: Path) -> None:
    archive = tmp_path / "xhht.zip"
    instance_export(path=archive)
    with pytest.raises(InstanceError, match="Chỉ nhập vào một hệ thống trống"):
        instance_import(path=archive)
    with pytest.raises(CommandError, match="hệ thống trống"):
        call_command("import_instance", str(archive))


def _rewrite(src: Path, dst: Path, change: Any) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)


def test_damaged_or_foreign_archives_refused(tmp_path: Path) -> None:
    from xhht.units.models import Unit

    archive = tmp_path / "xhht.zip"
    instance_export(path=archive)
    _wipe()
    cases = {
        "tampered": (lambda n, d: d.replace(b"Nam Tu", b"Nam Tx") if n == "tables/units.unit.jsonl" else d, "SHA-256 không khớp"),
        "no-manifest": (lambda n, d: None if n == "manifest.json" else d, "thiếu manifest.json"),
        "other-format": (lambda n, d: d.replace(b'"xhht-instance"', b'"other"') if n == "manifest.json" else d, "xhht-instance"),
        "newer-version": (lambda n, d: d.replace(b'"format_version": 1', b'"format_version": 9') if n == "manifest.json" else d, "Phiên bản định dạng 9"),
        "other-schema": (lambda n, d: d.replace(b'"units": "0', b'"units": "9') if n == "manifest.json" else d, "cấu trúc dữ liệu khác"),
    }
    for name, (change, message) in cases.items():
        bad = tmp_path / f"{name}.zip"
        _rewrite(archive, bad, change)
        with pytest.raises(InstanceError, match=message):
            instance_import(path=bad)
        assert not Unit.objects.exists(), name
    (tmp_path / "not.zip").write_bytes(b"not a zip")
    with pytest.raises(InstanceError, match="không phải tệp lưu trữ"):
        instance_import(path=tmp_path / "not.zip")
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as z:
        z.writestr("../../etc/cron.d/x", b"x")
    with pytest.raises(InstanceError, match="không hợp lệ"):
        instance_import(path=tmp_path / "evil.zip")


def test_cli(tmp_path: Path, capsys: Any) -> None:
    from xhht.cli import main

    archive = tmp_path / "xhht.zip"
    call_command("export_instance", str(archive))
    assert "Đã ghi" in capsys.readouterr().out and archive.stat().st_size > 1000
    assert main(["export-instance", str(tmp_path / "b.zip")]) == 0


def test_a_value_of_a_unit_the_archive_does_not_hold_is_refused(tmp_path: Path) -> None:
    """The store's unit and writer are not foreign keys in the database (a million-value import pays for them at the
    commit): the archive import checks them itself, and a dangling one refuses the whole archive."""
    import hashlib

    from xhht.units.models import Unit

    archive = tmp_path / "xhht.zip"
    instance_export(path=archive)
    _wipe()
    table = "tables/indicators.datavalue.jsonl"
    with zipfile.ZipFile(archive) as z:
        lines = z.read(table).decode().splitlines()
    first = json.loads(lines[0])
    first["fields"]["unit"] = "99998"
    changed = ("\n".join([json.dumps(first, ensure_ascii=False), *lines[1:]]) + "\n").encode()

    def change(name: str, data: bytes) -> bytes:
        if name == table:
            return changed
        if name == "manifest.json":
            manifest = json.loads(data)
            for entry in manifest["tables"]:
                if entry["file"] == table:
                    entry["sha256"] = hashlib.sha256(changed).hexdigest()
            return json.dumps(manifest).encode()
        return data

    bad = tmp_path / "dangling.zip"
    _rewrite(archive, bad, change)
    with pytest.raises(InstanceError, match="tables/indicators.datavalue.jsonl: trường «unit» = «99998»"):
        instance_import(path=bad)
    assert not Unit.objects.exists()
