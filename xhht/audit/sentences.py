"""The change log read as Vietnamese sentences: who did what to which object, each field by its label,
old → new formatted for a Vietnamese reader.

A registry, not a switch: each app may have an ``audit_labels.py`` module with

    ACTIONS = {"report_submit": "nộp báo cáo định kỳ"}   # action → what the person did (verb phrase)
    FIELDS = {"status": "trạng thái"}                     # changed key → label (optional)
    def field_label(key: str) -> str | None: ...          # labels computed from a catalogue (optional)
    def value_label(key: str, value: object) -> str | None: ...  # e.g. a state code → its name (optional)
    def object_url(entry: AuditEntry) -> str | None: ...  # where the changed object is shown (optional)

so a new action is one line in its own app. Apps are found through ``settings.XHHT_APPS`` (as the demo
loader and the URL map do), so the audit app never imports a higher one. An action nobody registered is
still told in Vietnamese: the verb from its suffix (``_create`` → "tạo") and the noun from the model's
``verbose_name``; the stored code itself is never shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.text import camel_case_to_spaces

from xhht.audit.models import AuditEntry
from xhht.core.formatting import format_decimal, format_money, format_number

# The audit app's own actions and those every app shares.
ACTIONS: dict[str, str] = {
    "admin_add": "thêm qua trang quản trị",
    "admin_change": "sửa qua trang quản trị",
    "admin_delete": "xóa qua trang quản trị",
    # Reads of personal data (survey persons) are logged too: who looked, when, at which list.
    "person_records_read": "xem danh sách người trong phiếu điều tra",
    "person_records_export": "tải về danh sách người trong phiếu điều tra",
}

# Generic keys of replace/import entries.
FIELDS: dict[str, str] = {
    "records": "số bản ghi",
    "added": "thêm",
    "removed": "bỏ",
    "persons": "số người",
    "status": "trạng thái",
    "unit_id": "đơn vị",
    "unit": "đơn vị",
    "period": "kỳ",
    "year": "năm",
    "kind": "loại",
    "note": "ghi chú",
}

ROW_LISTS = {"added", "removed"}

VERBS = [  # suffix → verb, for actions nobody registered a sentence for
    ("_create", "tạo"), ("_add", "thêm"), ("_update", "sửa"), ("_replace", "cập nhật toàn bộ"), ("_delete", "xóa"),
    ("_set", "ghi"), ("_import", "nhập từ tệp"), ("_write", "ghi"), ("_read", "xem"), ("_export", "tải về"),
    ("_submit", "nộp"), ("_approve", "duyệt"), ("_return", "trả lại"), ("_reopen", "mở lại"), ("_publish", "công khai"),
    ("_withdraw", "gỡ công khai"), ("_issue", "phát hành"), ("_start", "bắt đầu"), ("_review", "xem xét"),
]

MONEY_KEYS = re.compile(r"(amount|budget|money|cost|kinh_phi)")
YEAR_KEYS = re.compile(r"(^|_)(year|nam)$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
KEY_VALUE = re.compile(r"\b[a-z][a-z0-9_]*=")
DEFAULT_REPR = re.compile(r"^[A-Z][A-Za-z0-9]* object \(\S+\)$")  # str() of a model instance with no __str__
DISAGGREGATED = re.compile(r"^(?P<code>[^\[]+)\[(?P<dims>[^\]]*)\]$")


@lru_cache(maxsize=1)
def _modules() -> tuple[ModuleType, ...]:
    found = []
    for app in settings.XHHT_APPS:
        name = f"{app}.audit_labels"
        if find_spec(name) is not None:
            found.append(import_module(name))
    return tuple(found)


def _hooks(name: str) -> list[Callable[..., Any]]:
    return [getattr(m, name) for m in _modules() if callable(getattr(m, name, None))]


@lru_cache(maxsize=1)
def action_sentences() -> dict[str, str]:
    merged = dict(ACTIONS)
    for m in _modules():
        merged.update(getattr(m, "ACTIONS", {}))
    return merged


@lru_cache(maxsize=1)
def _field_labels() -> dict[str, str]:
    merged = dict(FIELDS)
    for m in _modules():
        merged.update(getattr(m, "FIELDS", {}))
    return merged


def _model(object_type: str) -> Any:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


@lru_cache(maxsize=1)
def _object_nouns() -> dict[str, str]:
    merged: dict[str, str] = {}
    for m in _modules():
        merged.update(getattr(m, "OBJECTS", {}))
    return merged


def object_noun(object_type: str) -> str:
    """The model's Vietnamese name: a registered noun, or its verbose_name when someone wrote one (Django's default
    from the class name is English, so it is never shown)."""
    if object_type in _object_nouns():
        return _object_nouns()[object_type]
    model = _model(object_type)
    if model is None:
        return "dữ liệu"
    name = str(model._meta.verbose_name)
    return name if name != camel_case_to_spaces(model.__name__) else "dữ liệu"


def action_text(entry: AuditEntry) -> str:
    """What the person did, in Vietnamese: "nộp báo cáo định kỳ", "sửa lớp dạy nghề"."""
    known = action_sentences().get(entry.action)
    if known:
        return known
    for suffix, verb in VERBS:
        if entry.action.endswith(suffix):
            return f"{verb} {object_noun(entry.object_type)}"
    return f"thay đổi {object_noun(entry.object_type)}"


def _model_field(object_type: str, key: str) -> Any:
    model = _model(object_type)
    if model is None:
        return None
    for name in (key, key[:-3] if key.endswith("_id") else None):
        if not name:
            continue
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
    return None


def field_label(object_type: str, key: str) -> str:
    """The Vietnamese label of a changed key: the model field's verbose_name, a registered label, a
    catalogue name (data element codes), or — never the code — "một trường khác"."""
    labels = _field_labels()
    if key in labels:
        return labels[key]
    match = DISAGGREGATED.match(key)
    base, dims = (match.group("code"), match.group("dims")) if match else (key, "")
    for hook in _hooks("field_label"):
        label = hook(base)
        if label:
            return f"{label} ({_dims(dims)})" if dims else str(label)
    field = _model_field(object_type, base)
    if field is not None and getattr(field, "verbose_name", None):
        name = str(field.verbose_name)
        if name != field.name.replace("_", " "):  # a label someone wrote, not Django's default from the name
            return name
    if re.fullmatch(r"c\d+(_\w+)?", base):
        return f"tiêu chí {base[1:].split('_')[0]}" + (" (chỉ số phụ)" if "_" in base else "")
    return "một trường khác"


def option_text(category: str, code: str) -> str:
    """A disaggregation option by its catalogue label (apps' ``option_label`` hooks), else the code if it reads as text."""
    for hook in _hooks("option_label"):
        label = hook(category, code)
        if label:
            return str(label)
    return code if not re.search(r"_", code) else "phân tổ khác"


def _dims(dims: str) -> str:
    parts = [p for chunk in dims.split("|") for p in chunk.split(";") if p]
    return ", ".join(option_text(*p.split("=", 1)) if "=" in p else p for p in parts)


def value_text(object_type: str, key: str, value: Any) -> str:
    """A stored old or new value as a person reads it: 40.552.000 đ, 01/12/2026 10:09, có/không, (trống)."""
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list):
        return f"{format_number(len(value))} dòng"
    if isinstance(value, dict):  # a whole record's snapshot: its fields by their labels
        parts = [f"{field_label(object_type, k)} {value_text(object_type, k, v)}" for k, v in value.items() if not k.endswith("_by_id") and k != "id"]
        return "; ".join(p for p in parts if not p.startswith("một trường khác"))
    for hook in _hooks("value_label"):
        label = hook(key, value)
        if label:
            return str(label)
    field = _model_field(object_type, key)
    if field is not None and getattr(field, "choices", None):
        for code, label in field.flatchoices:
            if str(code) == str(value):
                return str(label)
    if isinstance(value, (int, Decimal)) or (isinstance(value, str) and NUMBER.match(value)):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        if MONEY_KEYS.search(key):
            return format_money(number.to_integral_value())
        if YEAR_KEYS.search(key) and number == number.to_integral_value():
            return str(int(number))  # 2019, not 2.019
        return format_decimal(number)
    if isinstance(value, str) and ISO_DATETIME.match(value):
        try:
            moment = datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%d/%m/%Y %H:%M")
        except ValueError:
            pass
    if isinstance(value, str) and ISO_DATE.match(value):
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    return str(value)


def object_text(entry: AuditEntry) -> str:
    """The object by an app's ``object_label`` hook, else as stored without "key=" internals: "Kinh phí: 051, 2020";
    Django's English default for a model with no name of its own ("Evaluation object (38)") by the model's noun."""
    for hook in _hooks("object_label"):
        label = hook(entry)
        if label:
            return str(label)
    if DEFAULT_REPR.match(entry.object_repr):
        return object_noun(entry.object_type)
    return KEY_VALUE.sub("", entry.object_repr) or object_noun(entry.object_type)


def note_text(entry: AuditEntry) -> str:
    """The entry's note, through an app's ``note_label`` hook when it holds codes ("computed learning_models")."""
    for hook in _hooks("note_label"):
        label = hook(entry)
        if label:
            return str(label)
    return entry.note


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Sentence:
    entry: AuditEntry
    who: str
    when: str
    did: str
    what: str
    url: str | None
    changes: list[Change]
    note: str = ""

    @property
    def text(self) -> str:
        """One sentence for a person (and the .xlsx export)."""
        main = f"{self.when}, {self.who} {self.did}: {self.what}."
        if self.changes:
            main += " " + "; ".join(f"{c.label}: {c.old + ' → ' if c.old else ''}{c.new}" for c in self.changes) + "."
        return main


def person_name(user: Any) -> str:
    if user is None:
        return "Hệ thống"
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full.strip() or user.get_username()


def sentence(entry: AuditEntry, *, url_hooks: list[Callable[..., Any]] | None = None) -> Sentence:
    changes = []
    for key, pair in (entry.changes or {}).items():
        if key in ROW_LISTS:  # the rows a replace added or removed: how many, not their tuples
            count = len(pair) if isinstance(pair, list) else 0
            if count:
                changes.append(Change(field_label(entry.object_type, key), "", f"{format_number(count)} dòng"))
            continue
        changes.append(Change(field_label(entry.object_type, key), *(value_text(entry.object_type, key, v) for v in _pair(pair))))
    url = None
    for hook in url_hooks if url_hooks is not None else _hooks("object_url"):
        url = hook(entry)
        if url:
            break
    return Sentence(entry=entry, who=person_name(entry.actor), when=timezone.localtime(entry.at).strftime("%H:%M ngày %d/%m/%Y"),
                    did=action_text(entry), what=object_text(entry), url=url, changes=changes, note=note_text(entry))


def _pair(pair: Any) -> tuple[Any, Any]:
    if isinstance(pair, (list, tuple)) and len(pair) == 2:
        return pair[0], pair[1]
    return None, pair


def sentences(entries: Any) -> list[Sentence]:
    hooks = _hooks("object_url")
    return [sentence(e, url_hooks=hooks) for e in entries]


def object_types(codes: Mapping[str, int] | None = None) -> list[tuple[str, str]]:
    """(object_type, Vietnamese noun) for a filter's choices."""
    return sorted(((t, object_noun(t)) for t in (codes or {})), key=lambda p: p[1])
