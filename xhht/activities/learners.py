"""Person-level learner lists of vocational classes, where the unit keeps them.

A class with a list takes its counts from it: learners, ethnic-minority, poor-household, policy-beneficiary and
disabled learners are counted off the list, so the breakdowns can never exceed the total.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from xhht.activities import parsing
from xhht.activities.models import VocationalClass, VocationalLearner
from xhht.audit.services import PERSON_RECORDS_EXPORT, PERSON_RECORDS_READ, audit_record, person_records_access_record
from xhht.core.tabular import Problem, Rejected, open_table
from xhht.core.text import fold


@dataclass(frozen=True)
class LearnerColumn:
    name: str
    label: str
    aliases: tuple[str, ...] = ()


LEARNER_COLUMNS = (
    LearnerColumn("full_name", "Họ và tên", ("Họ tên",)),
    LearnerColumn("birth_year", "Năm sinh"),
    LearnerColumn("sex", "Giới tính"),
    LearnerColumn("ethnicity", "Dân tộc"),
    LearnerColumn("ethnic_minority", "Dân tộc thiểu số", ("DTTS",)),
    LearnerColumn("poor_household", "Hộ nghèo"),
    LearnerColumn("policy_beneficiary", "Đối tượng chính sách"),
    LearnerColumn("disabled", "Người khuyết tật", ("Người tàn tật",)),
)
COUNT_FIELDS = ("ethnic_minority", "poor_household", "policy_beneficiary", "disabled")


def learner_counts(learners: list[Any]) -> dict[str, int]:
    """{"learners": n, "ethnic_minority": …, …} counted off a list."""
    out = {"learners": len(learners)}
    for name in COUNT_FIELDS:
        out[name] = sum(1 for person in learners if getattr(person, name))
    return out


def parse_learner(raw: dict[str, str | None], *, latest_year: int) -> dict[str, Any]:
    """One row of a learner list; raises RowInvalid-like ValueError lists through :func:`learners_import`."""
    from xhht.activities.registers import RowInvalid

    data: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    name = (raw.get("full_name") or "").strip()
    if not name:
        problems.append(("full_name", "thiếu họ và tên."))
    elif len(name) > 200:
        problems.append(("full_name", "họ và tên dài quá 200 ký tự."))
    data["full_name"] = name
    for column, parse in [("birth_year", lambda t: parsing.parse_birth_year(t, latest=latest_year)), ("sex", parsing.parse_sex)]:
        try:
            data[column] = parse(raw.get(column))
        except ValueError as exc:
            problems.append((column, str(exc)))
    data["ethnicity"] = (raw.get("ethnicity") or "").strip()[:60]
    for column in COUNT_FIELDS:
        try:
            data[column] = parsing.parse_flag(raw.get(column))
        except ValueError as exc:
            problems.append((column, str(exc)))
    # Where only the ethnic group is written, every group but the Kinh is an ethnic minority.
    if not (raw.get("ethnic_minority") or "").strip() and data["ethnicity"]:
        data["ethnic_minority"] = fold(data["ethnicity"]) != "kinh"
    if problems:
        raise RowInvalid(problems)
    return data


def _row_key(values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(values.get(c.name) for c in LEARNER_COLUMNS)


def vocational_learners_replace(*, actor: Any, vocational_class: VocationalClass, rows: list[dict[str, Any]]) -> bool:
    """Make the class's learner list exactly ``rows`` and its counts those of the list; audited, indicators refreshed."""
    from xhht.activities.services import indicators_refresh

    with transaction.atomic():
        klass = VocationalClass.objects.select_for_update().get(pk=vocational_class.pk)
        current = list(klass.learner_list.all())
        if sorted(map(str, (_row_key({c.name: getattr(p, c.name) for c in LEARNER_COLUMNS}) for p in current))) == sorted(map(str, (_row_key(r) for r in rows))):
            return False
        klass.learner_list.all().delete()
        people = VocationalLearner.objects.bulk_create([VocationalLearner(vocational_class=klass, **r) for r in rows])
        before = {"learners": klass.learners, **{f: getattr(klass, f) for f in COUNT_FIELDS}}
        after = learner_counts(people) if people else before
        for key, value in after.items():
            setattr(klass, key, value)
        klass.save()
        changes: dict[str, Any] = {"learner_list": [len(current), len(people)]}
        changes.update({k: [before[k], after[k]] for k in after if before[k] != after[k]})
        audit_record(actor=actor, action="vocational_learners_replace", instance=klass, unit_code=klass.unit_id, changes=changes)
        indicators_refresh(actor=actor, register="vocational_class", unit_code=klass.unit_id, period=str(klass.year))
        vocational_class.refresh_from_db()
    return True


def vocational_learners_import(*, actor: Any, vocational_class: VocationalClass, path: Path | str, display_name: str | None = None) -> int:
    """Import a class's learner list (CSV/XLSX), all or nothing; returns the number of learners."""
    from xhht.activities.registers import RowInvalid

    aliases = {c.label: c.name for c in LEARNER_COLUMNS}
    for c in LEARNER_COLUMNS:
        aliases.update({a: c.name for a in c.aliases})
    table = open_table(path, columns=[c.name for c in LEARNER_COLUMNS], required=["full_name"], aliases=aliases, display_name=display_name)
    labels = {c.name: c.label for c in LEARNER_COLUMNS}
    problems: list[Problem] = []
    rows: list[dict[str, Any]] = []
    for number, raw in table.rows:
        try:
            rows.append(parse_learner(raw, latest_year=vocational_class.year))
        except RowInvalid as exc:
            problems.extend(Problem(m, file=table.name, sheet=table.sheet, row=number, column=labels.get(c)) for c, m in exc.problems)
    if not rows and not problems:
        problems.append(Problem("tệp không có dòng dữ liệu nào.", file=table.name, sheet=table.sheet))
    if problems:
        raise Rejected(problems)
    vocational_learners_replace(actor=actor, vocational_class=vocational_class, rows=rows)
    return len(rows)


# --- Reading a class's list: personal records, each read and export logged (issue 12, hole 7) -----------------------


def learner_list_read(*, actor: Any, vocational_class: VocationalClass) -> list[VocationalLearner]:
    """The class's learners, in list order, the read logged under the class's unit (the web's page and the API)."""
    learners = list(vocational_class.learner_list.all())
    person_records_access_record(actor=actor, action=PERSON_RECORDS_READ, unit_code=vocational_class.unit_id, count=len(learners),
                                 what=f"Danh sách học viên lớp {vocational_class}")
    return learners


def learner_list_export(*, actor: Any, vocational_class: VocationalClass) -> bytes:
    """The class's list as an importable .xlsx, the export logged under the class's unit (the web and the API)."""
    from xhht.activities.exports import learner_workbook

    learners = list(vocational_class.learner_list.all())
    content = learner_workbook(columns=LEARNER_COLUMNS, learners=learners)
    person_records_access_record(actor=actor, action=PERSON_RECORDS_EXPORT, unit_code=vocational_class.unit_id, count=len(learners),
                                 what=f"Danh sách học viên lớp {vocational_class} (.xlsx)")
    return content
