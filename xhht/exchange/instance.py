"""A whole XHHT instance as one documented archive (docs/exchange.md, "Whole-instance archive"), to move a province
to another server or hand its data to another XHHT, with no lock-in.

    manifest.json                       format "xhht-instance", format_version, the schema (last migration of each
                                        app), every table and file with its row count / size and SHA-256
    tables/<app>.<model>.jsonl          one table per file, Django's JSON Lines serialization (natural keys for
                                        Django's own rows: permissions, content types), primary keys kept
    files/<storage name>                the uploaded and issued files (documents, evidence, report versions)
    catalogue/<path>                    the catalogue files (elements, programmes, plans) the values were kept under

Every XHHT table is in it except the job queue (jobs.*): units with their versions, changes and closure, the
organisations, the accounts (without their passwords: each user sets a new one, or an administrator resets it),
the steering documents, indicator values with their history and roll-ups, the literacy survey, periodic reports,
learning-model and activity registers, official reports with their issued versions, checked reports, the audit log.
An archive is imported only into an empty instance of the same schema, all or nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import datetime, time, timezone
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, models, transaction
from django.db.migrations.loader import MigrationLoader

FORMAT = "xhht-instance"
FORMAT_VERSION = 1
SKIPPED_APPS = {"jobs"}
UNUSABLE_PASSWORD = "!exported-without-password"
# Bounds on what an archive may unpack to, checked before reading anything.
MAX_ARCHIVE_UNCOMPRESSED = 50 * 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


class InstanceError(ValueError):
    """The archive is refused (Vietnamese message); nothing was written."""


def instance_models() -> list[type[models.Model]]:
    """Every XHHT model in the archive, in app order (XHHT_APPS) then declaration order."""
    out: list[type[models.Model]] = []
    for app in settings.XHHT_APPS:
        label = app.rsplit(".", 1)[-1]
        if label in SKIPPED_APPS:
            continue
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        out.extend(m for m in config.get_models() if not m._meta.proxy and m._meta.managed)
    return out


def _schema() -> dict[str, str]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    last: dict[str, str] = {}
    for app_label, name in loader.applied_migrations or {}:
        if app_label in {m._meta.app_label for m in instance_models()} and name > last.get(app_label, ""):
            last[app_label] = name
    return dict(sorted(last.items()))


def _catalogue_files() -> list[tuple[str, Path]]:
    from xhht.indicators.catalogue import discover_element_files, discover_plan_files, discover_programme_files

    root = Path(__file__).resolve().parent.parent
    return [(str(p.relative_to(root)), p) for p in [*discover_element_files(), *discover_programme_files(), *discover_plan_files()]]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


class ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to the millisecond; the archive keeps them to the microsecond (an exact round trip)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, (datetime, time)):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _lines(model: type[models.Model]) -> Iterator[str]:
    query = model._default_manager.order_by("pk")
    last = None
    while True:
        batch = list((query.filter(pk__gt=last) if last is not None else query)[:5000])
        if not batch:
            return
        text = serializers.serialize("jsonl", batch, use_natural_foreign_keys=True, cls=ExactEncoder)
        for line in text.splitlines():
            if model._meta.label_lower == "accounts.user":
                obj = json.loads(line)
                obj["fields"]["password"] = UNUSABLE_PASSWORD
                line = json.dumps(obj, ensure_ascii=False)
            yield line
        last = batch[-1].pk


def instance_export(*, path: Path | str, actor: Any = None) -> dict[str, Any]:
    """Write the whole instance to the zip archive ``path``; returns its manifest."""
    from xhht.audit.services import audit_record

    tables: list[dict[str, Any]] = []
    files: list[dict[str, Any]] = []
    outermost = not connection.in_atomic_block
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive, transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # one consistent snapshot of every table while the site runs
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for model in instance_models():
            name = f"tables/{model._meta.label_lower}.jsonl"
            digest, rows, fields = hashlib.sha256(), 0, _file_fields(model)
            with archive.open(name, "w", force_zip64=True) as out:
                for line in _lines(model):
                    data = (line + "\n").encode("utf-8")
                    digest.update(data)
                    out.write(data)
                    rows += 1
            tables.append({"model": model._meta.label_lower, "file": name, "rows": rows, "sha256": digest.hexdigest()})
            for field in fields:
                for stored in model._default_manager.exclude(**{field: ""}).values_list(field, flat=True).order_by(field).distinct():
                    if not stored or not default_storage.exists(stored):
                        continue
                    with default_storage.open(stored, "rb") as handle:
                        data = handle.read()
                    archive.writestr(f"files/{stored}", data)
                    files.append({"path": stored, "size": len(data), "sha256": _sha(data)})
        catalogue = []
        for rel, p in _catalogue_files():
            data = p.read_bytes()
            archive.writestr(f"catalogue/{rel}", data)
            catalogue.append({"path": rel, "sha256": _sha(data)})
        manifest: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION, "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "schema": _schema(), "tables": tables, "files": files, "catalogue": catalogue}
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    audit_record(actor=actor, action="instance_export", object_type="instance", object_id=Path(path).name,
                 object_repr=f"Xuất toàn bộ hệ thống ({sum(t['rows'] for t in tables)} dòng, {len(files)} tệp)", note=f"{len(tables)} bảng")
    return manifest


def _open(path: Path | str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise InstanceError(f"«{Path(path).name}» không phải tệp lưu trữ .zip của XHHT.") from None
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.compress_size and info.file_size > 100 * 1024 * 1024 and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
            raise InstanceError(f"«{info.filename}» trong tệp lưu trữ nén bất thường (nghi «zip bomb»): không mở.")
        if info.filename.startswith("/") or ".." in Path(info.filename).parts:
            raise InstanceError(f"Đường dẫn «{info.filename}» trong tệp lưu trữ không hợp lệ.")
    if total > MAX_ARCHIVE_UNCOMPRESSED:
        raise InstanceError("Tệp lưu trữ khi giải nén quá lớn: không mở.")
    return archive


def _manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except KeyError:
        raise InstanceError("Tệp lưu trữ thiếu manifest.json: không phải bản xuất của XHHT.") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InstanceError("manifest.json sai cú pháp JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InstanceError("manifest.json không phải của một bản xuất toàn bộ XHHT (format phải là «xhht-instance»).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise InstanceError(f"Phiên bản định dạng {manifest.get('format_version')} không được hỗ trợ (bản này đọc phiên bản {FORMAT_VERSION}).")
    return manifest


def instance_import(*, path: Path | str, actor: Any = None) -> dict[str, Any]:
    """Load an archive written by :func:`instance_export` into this instance, which must be empty and on the same
    schema; all or nothing. Returns {"rows": n, "files": n, "catalogue_differences": [paths]}."""
    from xhht.audit.services import audit_record

    archive = _open(path)
    with archive:
        manifest = _manifest(archive)
        by_label = {m._meta.label_lower: m for m in instance_models()}
        ours = _schema()
        if manifest.get("schema") != ours:
            differ = sorted(k for k in set(ours) | set(manifest.get("schema") or {}) if ours.get(k) != (manifest.get("schema") or {}).get(k))
            raise InstanceError("Tệp lưu trữ từ một phiên bản XHHT có cấu trúc dữ liệu khác (ứng dụng: " + ", ".join(differ) +
                                "): hãy cập nhật cả hai hệ thống lên cùng một phiên bản rồi xuất lại.")
        unknown = [t["model"] for t in manifest["tables"] if t["model"] not in by_label]
        if unknown:
            raise InstanceError(f"Tệp lưu trữ có bảng không có ở hệ thống này: {', '.join(unknown)}.")
        filled = [label for label, m in by_label.items() if m._default_manager.exists()]
        if filled:
            raise InstanceError("Chỉ nhập vào một hệ thống trống; hệ thống này đã có dữ liệu (" + ", ".join(filled[:5]) + ").")
        for entry in manifest["tables"]:
            if _sha(archive.read(entry["file"])) != entry["sha256"]:
                raise InstanceError(f"{entry['file']}: mã kiểm tra SHA-256 không khớp (tệp hỏng hoặc bị sửa): không nhập gì.")
        for entry in manifest.get("files", []):
            if _sha(archive.read(f"files/{entry['path']}")) != entry["sha256"]:
                raise InstanceError(f"files/{entry['path']}: mã kiểm tra SHA-256 không khớp: không nhập gì.")
        rows = 0
        written: list[str] = []
        try:
            with transaction.atomic(), connection.constraint_checks_disabled():
                imported_models = []
                for entry in manifest["tables"]:
                    model = by_label[entry["model"]]
                    imported_models.append(model)
                    rows += _load_table(archive, entry["file"], model)
                connection.check_constraints(table_names=[m._meta.db_table for m in imported_models])
                _loose_references_check(imported_models, files={by_label[e['model']]: e['file'] for e in manifest['tables']})
                for sql in connection.ops.sequence_reset_sql(no_style(), imported_models):
                    with connection.cursor() as cursor:
                        cursor.execute(sql)
                for entry in manifest.get("files", []):
                    name = entry["path"]
                    data = archive.read(f"files/{name}")
                    if default_storage.exists(name):
                        with default_storage.open(name, "rb") as handle:
                            if _sha(handle.read()) != entry["sha256"]:
                                raise InstanceError(f"Tệp «{name}» đã có ở hệ thống này với nội dung khác: không nhập gì.")
                        continue
                    saved = default_storage.save(name, ContentFile(data))
                    written.append(saved)
                    if saved != name:
                        raise InstanceError(f"Không ghi được tệp «{name}» đúng tên: không nhập gì.")
                differences = []
                current = {rel: _sha(p.read_bytes()) for rel, p in _catalogue_files()}
                for entry in manifest.get("catalogue", []):
                    if current.get(entry["path"]) != entry["sha256"]:
                        differences.append(entry["path"])
                audit_record(actor=actor, action="instance_import", object_type="instance", object_id=Path(path).name,
                             object_repr=f"Nhập toàn bộ hệ thống ({rows} dòng, {len(manifest.get('files', []))} tệp)",
                             note=f"xuất lúc {manifest.get('exported_at')}" + (f"; danh mục khác: {', '.join(differences)}" if differences else ""))
        except Exception:
            for name in written:
                default_storage.delete(name)
            raise
    return {"rows": rows, "files": len(manifest.get("files", [])), "catalogue_differences": differences}


def _loose_references_check(imported: list[type[models.Model]], *, files: dict[type[models.Model], str]) -> None:
    """The references the database does not check (``db_constraint=False``: the indicator store's units and writers,
    see :class:`~xhht.indicators.models.DataValue`), checked here: one query each, the first dangling value named."""
    quote = connection.ops.quote_name
    for model in imported:
        for f in model._meta.local_concrete_fields:
            if not (f.many_to_one and getattr(f, "db_constraint", True) is False):
                continue
            target = f.related_model._meta  # type: ignore[union-attr]
            column, table, target_column = quote(f.column), quote(model._meta.db_table), quote(f.target_field.column)  # type: ignore[attr-defined, arg-type]
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT t.{column} FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS "
                               f"(SELECT 1 FROM {quote(target.db_table)} r WHERE r.{target_column} = t.{column}) LIMIT 1")
                dangling = cursor.fetchone()
            if dangling is not None:
                raise InstanceError(f"{files.get(model, model._meta.label_lower)}: trường «{f.name}» = «{dangling[0]}» tham chiếu tới "
                                    f"{target.verbose_name} không có trong tệp lưu trữ: không nhập gì.")


def _insert(model: type[models.Model], batch: list[models.Model]) -> None:
    """Insert as loaddata does (raw: auto_now fields keep the archive's timestamps), in batches the database takes."""
    fields = list(model._meta.local_concrete_fields)
    size = max(1, connection.ops.bulk_batch_size(fields, batch) or len(batch))
    for i in range(0, len(batch), size):
        model._base_manager._insert(batch[i:i + size], fields=fields, raw=True)  # type: ignore[attr-defined]


def _load_table(archive: zipfile.ZipFile, name: str, model: type[models.Model]) -> int:
    batch: list[models.Model] = []
    count = 0
    with archive.open(name) as raw:
        stream = io.TextIOWrapper(raw, encoding="utf-8")
        try:
            for obj in serializers.deserialize("jsonl", stream, using=DEFAULT_DB_ALIAS, handle_forward_references=True):
                if type(obj.object) is not model:
                    raise InstanceError(f"{name}: có dòng của bảng {obj.object._meta.label_lower}.")
                count += 1
                if obj.deferred_fields:
                    raise InstanceError(f"{name}, dòng {count}: tham chiếu tới dữ liệu không có ở hệ thống này ({', '.join(f.name for f in obj.deferred_fields)}).")
                if any((obj.m2m_data or {}).values()):
                    obj.save()
                    continue
                batch.append(obj.object)
                if len(batch) >= 2000:
                    _insert(model, batch)
                    batch = []
        except serializers.base.DeserializationError as exc:
            raise InstanceError(f"{name}: không đọc được ({exc}).") from None
    if batch:
        _insert(model, batch)
    return count
