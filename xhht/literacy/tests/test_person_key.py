"""Persons by their natural key (commune, year, person_id): the name search folds on read, the edit page's address
carries the person's id, the change log names the person by that key, and migration 0004 rebuilds a table holding
persons without losing or changing one (issue 13: the disk)."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.urls import reverse

from xhht.audit.models import AuditEntry
from xhht.core.text import fold
from xhht.literacy.models import SurveyPerson
from xhht.literacy.selectors import person_search
from xhht.literacy.services import persons_import
from xhht.units.models import Unit

COMMUNE = "05115"


def _record(person_id: str, name: str, household: str = "H1") -> dict[str, str | None]:
    return {"commune_code": COMMUNE, "village": "Nà Slải", "household_id": household, "person_id": person_id, "full_name": name,
            "sex": "M", "birth_date": "1980", "ethnicity": "Tày", "disability": "0", "highest_grade_completed": "5",
            "enrolled_grade": None, "literacy_phase_completed": "0", "primary_completion_year": None,
            "lower_secondary_completion_year": None}


def _load(records: list[dict[str, str | None]]) -> Unit:
    persons_import(actor=None, year=2019, rows=list(enumerate(records, start=2)), display_name="test", publish=False)
    return Unit.objects.get(code=COMMUNE)


def _found(unit: Unit, query: str) -> list[str]:
    return [p.person_id for p in person_search(commune=unit, year=2019, query=query)]


NAMES = {
    "P1": "Đặng Đức Anh", "P2": "ĐỖ THỊ HOA", "P3": "đinh văn đông", "P4": "Nguyễn Văn An",
    "P5": unicodedata.normalize("NFD", "Nguyễn Thị Bé"), "P6": "Lê  Văn   Tám", "P7": "Hà Quang Lợi", "P8": "Dương Ngọc Ánh",
}


@pytest.mark.parametrize(("query", "expected"), [
    ("duc", ["P1"]), ("Đức", ["P1"]), ("ĐỨC", ["P1"]), ("đặng đức", ["P1"]), ("dang duc anh", ["P1"]),
    ("do thi", ["P2"]), ("Đỗ Thị Hoa", ["P2"]), ("dinh van dong", ["P3"]), ("ĐÔNG", ["P3"]),
    ("nguyen", ["P4", "P5"]), ("NGUYỄN văn", ["P4"]), ("thi be", ["P5"]), ("Thị Bé", ["P5"]),
    ("van tam", ["P6"]),  # spaces inside a name count as one, as fold() reads them
    ("loi", ["P7"]), ("anh", ["P1", "P8"]), ("duong ngoc", ["P8"]),
    ("P7", ["P7"]), ("H2", ["P2"]),  # an id or a household code, exactly
    ("p7", []), ("lợi x", []), ("   ", ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"]),
])
def test_name_search_folds_vietnamese_names(survey: None, query: str, expected: list[str]) -> None:
    unit = _load([_record(pid, name, household="H2" if pid == "P2" else "H1") for pid, name in NAMES.items()])
    found = _found(unit, query)
    assert sorted(found) == sorted(expected)
    # And exactly whom the stored folded name found (name_folded contains fold(query), or the id or household).
    text = query.strip()
    assert sorted(found) == sorted(pid for pid, name in NAMES.items()
                                   if fold(query) in fold(name)[:120] or pid == text or ("H2" if pid == "P2" else "H1") == text)


def _vietnamese_letters() -> list[tuple[str, str]]:
    """Every Vietnamese letter with a mark (each vowel in its six tones, upper and lower case; đ, Đ) and the letter
    fold() must read it as."""
    tones = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
    vowels = {"a": "a", "ă": "a", "â": "a", "e": "e", "ê": "e", "i": "i", "o": "o", "ô": "o", "ơ": "o", "u": "u", "ư": "u", "y": "y"}
    out = [("đ", "d"), ("Đ", "d")]
    for vowel, base in vowels.items():
        for tone in tones:
            letter = unicodedata.normalize("NFC", vowel + tone)
            out += [(letter, base), (letter.upper(), base)]
    return out


def test_every_vietnamese_letter_is_found_by_its_plain_letter(survey: None) -> None:
    letters = _vietnamese_letters()
    assert len(letters) == 2 + 12 * 6 * 2
    unit = _load([_record(f"L{i}", f"Kq{letter}z {i:03d}") for i, (letter, _) in enumerate(letters)])
    for i, (letter, base) in enumerate(letters):
        assert _found(unit, f"kq{base}z {i:03d}") == [f"L{i}"], letter
        assert _found(unit, f"KQ{letter}Z {i:03d}") == [f"L{i}"], letter  # the marked letter itself, any case
        decomposed = unicodedata.normalize("NFD", f"kq{letter}z {i:03d}")
        assert _found(unit, decomposed) == [f"L{i}"], letter  # typed with combining marks


def test_search_results_are_paged_reading_only_the_page(survey: None, client_for: Any, nam_tuan_officer: Any,
                                                       django_assert_max_num_queries: Any) -> None:
    unit = _load([_record(f"P{i:03d}", f"Nguyễn Văn {i}" if i % 2 else f"Trần Thị {i}", household=f"H{i:03d}") for i in range(240)])
    found = person_search(commune=unit, year=2019, query="nguyen van")
    assert len(found) == 120
    with django_assert_max_num_queries(1):
        page = found[100:150]
    assert [p.person_id for p in page] == [f"P{i:03d}" for i in range(201, 240, 2)]
    html = client_for(nam_tuan_officer).get(f"/xoa-mu-chu/{COMMUNE}/2019/nguoi/", {"q": "nguyen van", "page": 3}).content.decode()
    assert "120 người" in html and "Trang 3/3" in html
    assert html.count("Nguyễn Văn ") == 20 and "Trần Thị" not in html


@pytest.mark.parametrize("person_id", ["A/1 b", "x?y#z%20", "Đoàn-01", "12/HK/3", "A/", "a" * 40])
def test_the_edit_page_is_reached_by_the_persons_id(survey: None, client_for: Any, nam_tuan_officer: Any, person_id: str) -> None:
    _load([_record(person_id, "Nông Văn Dền"), _record("other", "Bế Thị Mai")])
    client = client_for(nam_tuan_officer)
    url = reverse("literacy:person_edit", args=[COMMUNE, 2019, person_id])
    assert url.startswith(f"/xoa-mu-chu/{COMMUNE}/2019/nguoi/") and "#" not in url and "?" not in url
    listing = client.get(f"/xoa-mu-chu/{COMMUNE}/2019/nguoi/").content.decode()
    assert f'href="{url}"' in listing
    page = client.get(url)
    assert page.status_code == 200 and "Nông Văn Dền" in page.content.decode()
    form = {"full_name": "Nông Văn Đền", "sex": "M", "birth_date": "1980", "ethnicity": "Tày", "village": "Nà Slải",
            "household_code": "H1", "disability": "0", "highest_grade": "5", "enrolled_grade": "", "literacy_phase": "0",
            "primary_completion_year": "", "lower_secondary_completion_year": ""}
    assert client.post(url, form).status_code == 302
    assert SurveyPerson.objects.get(commune_id=COMMUNE, year=2019, person_id=person_id).full_name == "Nông Văn Đền"
    assert SurveyPerson.objects.get(commune_id=COMMUNE, year=2019, person_id="other").full_name == "Bế Thị Mai"
    entry = AuditEntry.objects.filter(action="survey_person_update").latest("id")
    assert entry.object_id == f"{COMMUNE}/2019/{person_id}" and entry.changes["full_name"] == ["Nông Văn Dền", "Nông Văn Đền"]
    # The change log links the entry to the commune-year's list searched by the id, which finds the person.
    from xhht.literacy.audit_labels import object_url

    link = object_url(entry)
    assert link is not None and link.startswith(f"/xoa-mu-chu/{COMMUNE}/2019/nguoi/?q=")
    assert "Nông Văn Đền" in client.get(link).content.decode()


def test_an_id_that_is_not_the_persons_answers_404(survey: None, client_for: Any, nam_tuan_officer: Any) -> None:
    _load([_record("a" * 40, "Nông Văn Dền")])
    client = client_for(nam_tuan_officer)
    for wrong in ["a" * 41, "a" * 39, "A" * 40, "a" * 40 + "/x", quote("a" * 40 + " ")]:
        assert client.get(f"/xoa-mu-chu/{COMMUNE}/2019/nguoi/{wrong}/").status_code == 404, wrong
    assert client.get(f"/xoa-mu-chu/{COMMUNE}/2018/nguoi/{'a' * 40}/").status_code == 404


# Migration 0004 on a database holding persons (SQLite's schema editor needs no open transaction).

PERSON_COLUMNS = ("commune_id, year, person_id, household_code, village, full_name, name_folded, sex, birth_year, birth_date, ethnicity, "
                  "minority, disability, highest_grade, enrolled_grade, literacy_phase, primary_completion_year, "
                  "lower_secondary_completion_year")
OLD_PERSONS = [
    ("99001", 2019, "P2", "H1", "Thôn Một", "Đặng Đức Anh", "dang duc anh", "M", 1980, "1980-02-29", "Tày", True, 0, 9, None, 0, 1991, 1995),
    ("99001", 2019, "P1", "H1", "Thôn Một", "ĐỖ THỊ HOA", "do thi hoa", "F", 1982, None, "Kinh", False, 1, 5, None, 2, None, None),
    ("99001", 2020, "P1", "H1", "Thôn Một", "ĐỖ THỊ HOA", "do thi hoa", "F", 1982, None, "Kinh", False, 1, 5, None, 2, None, None),
    ("99002", 2019, "A/1", "H9", "", "", "", "M", 2015, None, "", False, 0, 0, 1, 0, None, None),
]


def _executor() -> Any:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    return MigrationExecutor(connection)


def _persons(connection: Any) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {PERSON_COLUMNS.replace('name_folded, ', '')} FROM literacy_surveyperson ORDER BY commune_id, year, person_id")
        return [tuple(str(v) if v is not None else None for v in row) for row in cursor.fetchall()]


def _keys(connection: Any, table: str) -> list[tuple[str, tuple[str, ...]]]:
    """The primary key, unique constraints and indexes of ``table``, by their columns in name order (SQLite tells a
    key's columns in the table's order), each once (SQLite also lists a unique constraint's own index)."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return sorted({("primary key" if info["primary_key"] else "unique" if info["unique"] else "index", tuple(sorted(info["columns"])))
                   for info in found.values() if info["primary_key"] or info["unique"] or info["index"]})


@pytest.mark.django_db(transaction=True)
def test_migration_0004_keeps_every_person_and_goes_back(tmp_path: Path) -> None:
    from django.db import connection

    Unit.objects.create(code="99", name="Thử", kind="province")
    for code in ("99001", "99002"):
        Unit.objects.create(code=code, name=f"Xã {code}", kind="commune", parent_id="99")
    latest = _executor().loader.graph.leaf_nodes()
    _executor().migrate([("literacy", "0003_person_fewer_indexes")])
    try:
        marks = ", ".join(["%s"] * len(OLD_PERSONS[0]))
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO literacy_village (commune_id, name) VALUES ('99001', 'Thôn Một')")
            cursor.executemany(f"INSERT INTO literacy_surveyperson ({PERSON_COLUMNS}) VALUES ({marks})", OLD_PERSONS)
            cursor.execute("INSERT INTO literacy_household (commune_id, year, code, village_id, members) "
                           "SELECT '99001', 2019, 'H1', id, 2 FROM literacy_village WHERE commune_id = '99001' UNION ALL SELECT '99002', 2019, 'H9', NULL, 1")
            cursor.execute("SELECT id FROM literacy_surveyperson WHERE person_id = 'A/1'")
            (old_id,) = cursor.fetchone()
        before = _persons(connection)
        edit = AuditEntry.objects.create(action="survey_person_update", object_type="literacy.surveyperson", object_id=str(old_id),
                                         object_repr="x", unit_code="99002")
        other = AuditEntry.objects.create(action="survey_persons_import", object_type="literacy.surveyperson", object_id="99002/2019",
                                          object_repr="x", unit_code="99002")

        _executor().migrate(latest)
        assert _persons(connection) == before
        assert _keys(connection, "literacy_surveyperson") == [("primary key", ("commune_id", "person_id", "year"))]
        assert _keys(connection, "literacy_household") == [("index", ("village_id",)), ("primary key", ("code", "commune_id", "year"))]
        ours = SurveyPerson.objects.filter(commune_id__in=["99001", "99002"])  # the session's demo persons may be there too
        assert sorted(ours.values_list("pk", flat=True)) == sorted((c, y, p) for c, y, p, *_ in OLD_PERSONS)
        from xhht.literacy.models import Household

        assert sorted(Household.objects.filter(commune_id__in=["99001", "99002"]).values_list("commune_id", "year", "code", "members")) == [("99001", 2019, "H1", 2), ("99002", 2019, "H9", 1)]
        assert Household.objects.get(pk=("99001", 2019, "H1")).village.name == "Thôn Một"
        edit.refresh_from_db()
        other.refresh_from_db()
        assert (edit.object_id, other.object_id) == ("99002/2019/A/1", "99002/2019")
        assert [p.person_id for p in person_search(commune=Unit.objects.get(code="99001"), year=2019, query="DUC")] == ["P2"]

        _executor().migrate([("literacy", "0003_person_fewer_indexes")])  # and back: the folded names made again
        assert _persons(connection) == before
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, full_name, name_folded FROM literacy_surveyperson WHERE commune_id IN ('99001', '99002') "
                           "ORDER BY commune_id, year, person_id")
            rows = cursor.fetchall()
            assert [folded for _, _, folded in rows] == [r[6] for r in sorted(OLD_PERSONS, key=lambda r: (r[0], r[1], r[2]))]
            cursor.execute("SELECT id FROM literacy_surveyperson WHERE person_id = 'A/1'")
            (new_id,) = cursor.fetchone()
        edit.refresh_from_db()
        assert edit.object_id == str(new_id)
        assert _keys(connection, "literacy_surveyperson") == [("primary key", ("id",)), ("unique", ("commune_id", "person_id", "year"))]
    finally:
        _executor().migrate(latest)
    assert _persons(connection) == before
