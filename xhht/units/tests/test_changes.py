"""``xhht import unit-changes`` (format 4): each change kind at its edges, every refusal, re-import idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xhht.audit.models import AuditEntry
from xhht.core.tabular import Rejected
from xhht.units.changes import unit_changes_import
from xhht.units.models import Unit, UnitChange, UnitVersion
from xhht.units.selectors import apportion, tree_mapping, unit_children, unit_lineage, unit_parent_on, unit_predecessor_names
from xhht.units.services import unit_import

UNITS = """code,name,kind,parent_code,valid_from,valid_to,special_difficulty
98,Thử Nghiệm,province,,,,0
981,Huyện Một,district,98,,,0
982,Huyện Hai,district,98,,,0
98104,Một Bốn,commune,981,,,0
98203,Hai Ba,commune,982,,,0
98204,Hai Bốn,commune,982,,,0
98205,Hai Năm,commune,982,,,0
9820301,Thôn 1,village,98203,,,0
9820302,Thôn 2,village,98203,,,0
9820303,Thôn 3,village,98203,,,0
9820304,Thôn 4,village,98203,,,0
9820305,Thôn 5,village,98203,,,0
"""
HEADER = "effective_date,basis,code,name,kind,parent_code,from_code,from_villages,from_share,end\n"
B = "Nghị quyết 1/NQ-THU"
# The example of formats.md §4, with district 982 ending too (every child given a parent).
EXAMPLE = f"""2025-07-01,{B},98302,Sông Cầu,commune,98,98104,,,
2025-07-01,{B},98302,,,,98203,Thôn 1;Thôn 2,0.4,
2025-07-01,{B},98204,Đồi Thông,commune,98,98205,,,
2025-07-01,{B},98204,,,,98203,Thôn 3;Thôn 4;Thôn 5,0.6,
2025-07-01,{B},981,,,,,,,1
2025-07-01,{B},982,,,,,,,1
"""


def write(tmp_path: Path, body: str, name: str = "changes.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.fixture
def tree(db: None, tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text(UNITS, encoding="utf-8")
    unit_import(actor=None, path=path)


def snapshot() -> tuple[int, int, int, int]:
    return Unit.objects.count(), UnitVersion.objects.count(), UnitChange.objects.count(), AuditEntry.objects.count()


def refused(path: Path) -> list[str]:
    before = snapshot()
    with pytest.raises(Rejected) as caught:
        unit_changes_import(actor=None, path=path)
    assert snapshot() == before, "a refused file must write nothing"
    return [str(p) for p in caught.value.problems]


def test_example_applies_and_reimport_changes_nothing(tree: None, tmp_path: Path) -> None:
    path = write(tmp_path, EXAMPLE)
    result = unit_changes_import(actor=None, path=path)
    assert result.applied == [date(2025, 7, 1)] and result.created == 1
    new = Unit.objects.get(code="98302")
    assert new.valid_from == date(2025, 7, 1) and new.name == "Sông Cầu" and new.parent_id == "98"
    for ended in ("98104", "98203", "98205", "981", "982"):
        unit = Unit.objects.get(code=ended)
        assert unit.valid_to == date(2025, 6, 30), ended
        assert unit.versions.get(valid_to=date(2025, 6, 30))
    kept = Unit.objects.get(code="98204")
    assert kept.valid_to is None and kept.name == "Đồi Thông" and kept.parent_id == "98"
    assert unit_parent_on(unit=kept, on=date(2025, 6, 30)).code == "982"  # the old version closed on the eve
    assert unit_parent_on(unit=kept, on=date(2025, 7, 1)).code == "98"
    assert [u.code for u in unit_children(unit=Unit.objects.get(code="98"), on=date(2025, 7, 1))] == ["98204", "98302"]
    assert {u.code for u in unit_children(unit=Unit.objects.get(code="98"), on=date(2025, 6, 30))} == {"981", "982"}
    # 7 units, and the 5 village units that follow their villages to 98302 and 98204.
    assert AuditEntry.objects.filter(action__startswith="unit_change_").count() == 12
    assert Unit.objects.get(code="9820301").parent_id == "98302" and Unit.objects.get(code="9820305").parent_id == "98204"
    before = snapshot()
    again = unit_changes_import(actor=None, path=path)
    assert again.applied == [] and again.unchanged == [date(2025, 7, 1)]
    assert snapshot() == before
    # Lineage both ways, with date and basis.
    lineage = unit_lineage(unit=new)
    assert [(c.source_id, c.effective_date, c.basis) for c in lineage["predecessors"]] == [
        ("98104", date(2025, 7, 1), B), ("98203", date(2025, 7, 1), B)]
    assert [c.unit_id for c in unit_lineage(unit=Unit.objects.get(code="98203"))["successors"]] == ["98302", "98204"]
    assert unit_predecessor_names(unit=new) == ["xã Một Bốn", "xã Hai Ba"]


def test_mapping_follows_the_chain(tree: None, tmp_path: Path) -> None:
    unit_changes_import(actor=None, path=write(tmp_path, EXAMPLE))
    # A second reorganisation later: Sông Cầu takes all of Đồi Thông.
    unit_changes_import(actor=None, path=write(tmp_path, f"2026-01-01,{B},98302,,,,98204,,,\n", "later.csv"))
    mapping = tree_mapping(year=2019, on=date(2026, 1, 1))
    parts = {(p.source, p.villages, p.share) for p in mapping.parts_of("98302")}
    assert parts == {("98104", None, Decimal(1)), ("98203", frozenset({"Thôn 1", "Thôn 2"}), Decimal("0.4")),
                     ("98203", frozenset({"Thôn 3", "Thôn 4", "Thôn 5"}), Decimal("0.6")), ("98204", None, Decimal(1)),
                     ("98205", None, Decimal(1))}
    assert mapping.parts_of("98204") == []
    on_2025 = tree_mapping(year=2019, on=date(2025, 7, 1))
    assert {p.source for p in on_2025.parts_of("98204")} == {"98204", "98205", "98203"}
    assert tree_mapping(year=2025, on=date(2025, 12, 31)).is_identity()
    with pytest.raises(ValueError):
        tree_mapping(year=2026, on=date(2025, 7, 1))


def test_rename_and_reparent_only(tree: None, tmp_path: Path) -> None:
    unit_changes_import(actor=None, path=write(tmp_path, f"2024-01-01,{B},98205,Năm Mới,,981,,,,\n"))
    unit = Unit.objects.get(code="98205")
    assert (unit.name, unit.parent_id, unit.valid_to) == ("Năm Mới", "981", None)
    assert sorted(unit.versions.values_list("name", "valid_to"), key=lambda v: v[1] or date.max) == [
        ("Hai Năm", date(2023, 12, 31)), ("Năm Mới", None)]


def test_split_by_share_only_and_apportion(tree: None, tmp_path: Path) -> None:
    body = (f"2025-01-01,{B},98301,Ba Một,commune,982,98205,,0.5,\n"
            f"2025-01-01,{B},98302,Ba Hai,commune,982,98205,,0.5,\n")
    unit_changes_import(actor=None, path=write(tmp_path, body))
    assert Unit.objects.get(code="98205").valid_to == date(2024, 12, 31)
    assert apportion(7, [Decimal("0.5"), Decimal("0.5")]) == [4, 3]
    assert apportion(10, [Decimal("0.4"), Decimal("0.6")]) == [4, 6]
    assert apportion(1, [Decimal(1) / 3] * 3) == [1, 0, 0]
    assert sum(apportion(1001, [Decimal("0.333"), Decimal("0.333"), Decimal("0.334")])) == 1001


def test_shares_summing_to_09999_refused(tree: None, tmp_path: Path) -> None:
    body = EXAMPLE.replace("Thôn 3;Thôn 4;Thôn 5,0.6", "Thôn 3;Thôn 4;Thôn 5,0.5999")
    problems = refused(write(tmp_path, body))
    assert any("dòng 5" in p and "0,9999" in p and "phải đúng bằng 1" in p for p in problems), problems


def test_village_in_two_parts_refused(tree: None, tmp_path: Path) -> None:
    body = EXAMPLE.replace("Thôn 3;Thôn 4;Thôn 5", "Thôn 2;Thôn 3;Thôn 4;Thôn 5")
    problems = refused(write(tmp_path, body))
    assert any("dòng 5" in p and "«Thôn 2»" in p and "chồng lên nhau" in p for p in problems), problems


def test_village_not_of_the_source_and_villages_left_over_refused(tree: None, tmp_path: Path) -> None:
    body = EXAMPLE.replace("Thôn 3;Thôn 4;Thôn 5", "Thôn 3;Thôn 9")
    problems = refused(write(tmp_path, body))
    assert any("«Thôn 9» không phải là thôn của «98203»" in p for p in problems), problems
    assert any("Thôn 4; Thôn 5" in p and "chưa được chuyển" in p for p in problems), problems


def test_unknown_code_refused(tree: None, tmp_path: Path) -> None:
    problems = refused(write(tmp_path, EXAMPLE.replace("98,98104", "98,98999")))
    assert any("dòng 2" in p and "«98999»" in p for p in problems), problems
    problems = refused(write(tmp_path, f"2025-07-01,{B},99999,,,,,,,1\n"))
    assert any("không có đơn vị mã «99999»" in p for p in problems), problems


def test_new_unit_without_name_or_kind_refused(tree: None, tmp_path: Path) -> None:
    problems = refused(write(tmp_path, EXAMPLE.replace("98302,Sông Cầu,commune,98", "98302,,,98")))
    assert any("dòng 2" in p and "phải có tên" in p for p in problems), problems
    assert any("dòng 2" in p and "phải có loại" in p for p in problems), problems


def test_child_left_without_parent_refused(tree: None, tmp_path: Path) -> None:
    # District 981 ends but its commune 98104 is neither moved nor ended.
    problems = refused(write(tmp_path, f"2025-07-01,{B},981,,,,,,,1\n"))
    assert any("«98104»" in p and "không còn cấp trên" in p for p in problems), problems


def test_unit_ended_twice_or_conflicting_dates_refused(tree: None, tmp_path: Path) -> None:
    body = f"2025-07-01,{B},98204,,,,98205,,,\n2025-08-01,{B},98204,,,,98205,,,\n"
    problems = refused(write(tmp_path, body))
    assert any("dòng 3" in p and "đã chấm dứt từ ngày 01/07/2025" in p for p in problems), problems
    body = f"2025-07-01,{B},98205,,,,,,,1\n2025-07-01,{B},98205,,,,,,,1\n"
    assert any("chấm dứt hai lần" in p for p in refused(write(tmp_path, body, "twice.csv")))
    # A later file cannot apply a reorganisation before one already imported.
    unit_changes_import(actor=None, path=write(tmp_path, f"2025-07-01,{B},98204,,,,98205,,,\n", "first.csv"))
    problems = refused(write(tmp_path, f"2024-01-01,{B},98203,Đổi,,,,,,\n", "earlier.csv"))
    assert any("sớm hơn đợt đã nhập ngày 01/07/2025" in p for p in problems), problems
    problems = refused(write(tmp_path, f"2025-07-01,{B},98204,,,,98203,,,\n", "other.csv"))
    assert any("đã được nhập với nội dung khác" in p for p in problems), problems


def test_cycle_refused(tree: None, tmp_path: Path) -> None:
    body = f"2025-07-01,{B},981,,,981,,,,\n"
    problems = refused(write(tmp_path, body))
    assert any("vòng" in p or "không thể trực thuộc" in p for p in problems), problems
    body = f"2025-07-01,{B},98,,,981,,,,\n"
    problems = refused(write(tmp_path, body, "cycle.csv"))
    assert any("dòng 2" in p and ("vòng" in p or "không thể trực thuộc" in p) for p in problems), problems


def test_values_of_one_code_must_agree(tree: None, tmp_path: Path) -> None:
    body = EXAMPLE.replace("2025-07-01,Nghị quyết 1/NQ-THU,98302,,,,98203", "2025-07-01,Nghị quyết 1/NQ-THU,98302,Khác,,,98203")
    problems = refused(write(tmp_path, body))
    assert any("dòng 3" in p and "khác với dòng 2" in p for p in problems), problems


def test_command_and_format_1_still_work(tree: None, tmp_path: Path) -> None:
    call_command("import_unit_changes", str(write(tmp_path, EXAMPLE)))
    assert Unit.objects.filter(code="98302").exists()
    with pytest.raises(CommandError) as caught:
        call_command("import_unit_changes", str(write(tmp_path, EXAMPLE.replace("0.4", "0.3"), "bad.csv")))
    assert "không ghi dữ liệu nào" in str(caught.value)
    # Format 1 keeps importing (idempotent) after a reorganisation.
    path = tmp_path / "units.csv"
    path.write_text("code,name,kind,parent_code,valid_from,valid_to,special_difficulty\n98,Thử Nghiệm,province,,,,0\n", encoding="utf-8")
    assert unit_import(actor=None, path=path).unchanged == 1


def test_xhht_import_unit_changes_command_line(tree: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``xhht import unit-changes FILE`` runs the ``import_unit_changes`` command (run here in-process: the real
    entry point closes every database connection when it ends, which a test on PostgreSQL cannot afford)."""
    import django.core.management

    from xhht.cli import main

    ran: list[list[str]] = []
    monkeypatch.setattr(django.core.management, "execute_from_command_line",
                        lambda argv: ran.append(argv) or call_command(argv[1], *argv[2:]))
    path = str(write(tmp_path, EXAMPLE))
    assert main(["import", "unit-changes", path]) == 0
    assert ran == [["xhht", "import_unit_changes", path]]
    assert Unit.objects.get(code="98302").name == "Sông Cầu"


def test_predecessors_of_a_large_area_are_the_same_by_the_edge_walk(tree: None, tmp_path: Path) -> None:
    """A province's officer asks for thousands of codes at once: the edges are then read once and walked in Python
    (no query with thousands of parameters); the answer is the one of the per-level queries."""
    from xhht.units.selectors import unit_predecessor_codes

    unit_changes_import(actor=None, path=write(tmp_path, EXAMPLE))
    small = unit_predecessor_codes(codes={"98302", "98204"})
    assert small == {"98104", "98203", "98205"}
    padding = {f"X{i:04d}" for i in range(600)}  # codes with no change: only the size differs
    assert unit_predecessor_codes(codes={"98302", "98204"} | padding) == small
    assert unit_predecessor_codes(codes={"98302"} | padding) == unit_predecessor_codes(codes={"98302"})
