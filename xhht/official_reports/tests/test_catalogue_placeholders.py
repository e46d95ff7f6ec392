from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from xhht.official_reports.catalogue import CatalogueError, document_format, load_report_kind, report_kinds
from xhht.official_reports.placeholders import Broken, Placeholder, PlaceholderError, Text, parse, parse_one, render_runs
from xhht.official_reports.resolver import Resolver
from xhht.official_reports.selectors import runs_html
from xhht.indicators.periods import parse_period
from xhht.indicators.services import Value, data_values_write
from xhht.units.models import Unit


def test_catalogue_has_the_three_kinds_with_the_seed_structure() -> None:
    kinds = report_kinds()
    # The phase review of QĐ 1373 (sơ kết, issue 18) has its own structure: test_review_kind_structure.
    assert set(kinds) == {"phase-summary", "half-year", "annual", "review"}
    for kind in (kinds[k] for k in ("phase-summary", "half-year", "annual")):
        top = [s["key"] for s in kind.sections]
        assert top == ["steering", "resources", "results", "directions", "recommendations"]
        keys = set(_all_keys(kind.sections))  # at every depth: the phase summary nests III.1.1 a)–f) as the seed does
        assert {"steering.documents", "steering.communication", "resources.budget", "results.literacy", "results.clc",
                "results.learning_community", "results.lifelong_week", "results.vocational",
                "results.strengths", "results.limitations", "results.causes"} <= keys
        assert kind.data["appendix"]["provider"] == "indicators.appendix"
    phase = set(_all_keys(kinds["phase-summary"].sections))
    # Issue 14: each member of the steering committee has its own section (seed III.1.1–1.10), I.5 has 5.1–5.10.
    assert {"results.lessons", "results.review", "results.home_affairs", "results.labour", "results.youth_union", "results.womens_union",
            "results.study_promotion", "results.culture_office", "results.media_centre", "results.labour_federation",
            "steering.tasks.education", "steering.tasks.organisations"} <= phase
    assert all("results.organisations" in set(_all_keys(kinds[k].sections)) for k in ("annual", "half-year"))


def _all_keys(sections: list[dict[str, object]]) -> list[str]:
    out: list[str] = []
    for s in sections:
        out.append(str(s["key"]))
        out += _all_keys(list(s.get("sections", [])))  # type: ignore[arg-type]
    return out


def test_document_format_matches_decree_30() -> None:
    fmt = document_format()
    assert (fmt["page"]["width_mm"], fmt["page"]["height_mm"]) == (210, 297)
    for side, (low, high) in {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}.items():
        m = fmt["margins_mm"][side]
        assert m["range"] == [low, high] and low <= m["use"] <= high
    assert fmt["font"]["name"] == "Times New Roman"
    assert 13 <= fmt["elements"]["body"]["size"]["use"] <= 14
    assert fmt["elements"]["recipients_label"] == {"size": {"range": [12, 12], "use": 12}, "bold": True, "italic": True, "verified": False}
    assert fmt["elements"]["recipients"]["size"]["use"] == 11


def _bad(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_catalogue_file_is_refused_naming_file_and_line(tmp_path: Path) -> None:
    good = (Path(__file__).parents[1] / "catalogue" / "annual.yaml").read_text(encoding="utf-8")
    # An unknown provider: refused with the file and the line of "provider".
    path = _bad(tmp_path, "annual.yaml", good.replace("provider: steering.documents", "provider: no.such_provider"))
    with pytest.raises(CatalogueError) as exc:
        load_report_kind(path)
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "no.such_provider" in t)
    assert f"annual.yaml, dòng {line}" in str(exc.value) and "no.such_provider" in str(exc.value)
    # A schema violation (unknown key) and a broken placeholder.
    path = _bad(tmp_path, "annual.yaml", good.replace("version: 1", "version: 1\ncolour: red"))
    with pytest.raises(CatalogueError, match=r"annual.yaml, dòng \d+: .*colour"):
        load_report_kind(path)
    path = _bad(tmp_path, "annual.yaml", good.replace("[[unit:name]]", "[[unit:nope]]", 1))
    with pytest.raises(CatalogueError, match=r"annual.yaml, dòng \d+: .*nope"):
        load_report_kind(path)
    path = _bad(tmp_path, "annual.yaml", "kind: [unclosed\n")
    with pytest.raises(CatalogueError, match=r"annual.yaml, dòng \d+"):
        load_report_kind(path)


def test_placeholder_grammar() -> None:
    ph = parse_one(" rate:literacy_level1/literacy_population | age_band=15-25 | period=2019 ")
    assert isinstance(ph, Placeholder)
    assert ph.elements == ["literacy_level1", "literacy_population"]
    assert ph.disaggregation == "age_band=15-25"
    assert ph.option("period") == "2019"
    for bad in ["value:", "eval:x", "value:Not-A-Code", "rate:a", "unit:password", "value:x|period", "value:x|over=ever", "value:x|a={{b}}"]:
        with pytest.raises(PlaceholderError):
            parse_one(bad)
    segments = parse("Có [[value:clc_topics]] chuyên đề, {{ x }} và [[oops]].")
    assert [type(s) for s in segments] == [Text, Placeholder, Text, Broken, Text]


@pytest.mark.django_db
def test_figures_are_summed_up_the_tree_and_rates_recomputed(demo: None) -> None:
    # Year 2014: no app's demo stores literacy for it (the survey is 2019, the appendix 2015–2019), so
    # the district has no figure of its own and its value is the sum of these two communes.
    data_values_write(actor=None, source="imported", rule="kiểm thử", values=[
        Value(element="literacy_population", unit_code="05115", period="2014", value=1000, disaggregation={"age_band": "15-25"}),
        Value(element="literacy_level1", unit_code="05115", period="2014", value=999, disaggregation={"age_band": "15-25"}),
        Value(element="literacy_population", unit_code="05113", period="2014", value=3, disaggregation={"age_band": "15-25"}),
        Value(element="literacy_level1", unit_code="05113", period="2014", value=1, disaggregation={"age_band": "15-25"}),
        Value(element="rpt_clc_funding_total", unit_code="051", period="2013", value=1000000),
        Value(element="rpt_clc_funding_total", unit_code="051", period="2015", value=2500000),
    ])
    resolver = Resolver(unit=Unit.objects.get(code="051"), period=parse_period("2012-2016"))
    runs = render_runs("[[ratio:literacy_level1/literacy_population|age_band=15-25|period=2014]] đạt "
                       "[[rate:literacy_level1/literacy_population|age_band=15-25|period=2014]]; "
                       "[[money:rpt_clc_funding_total|over=years]]; [[value:rpt_clc_funding_total]]; [[count:communes]] xã", resolver)
    text = "".join(r.text for r in runs)
    # (999 + 1) / (1000 + 3) = 99,70% (an average of the two rates would give 66,62%).
    assert text == "1.000/1.003 đạt 99,70%; 3.500.000 đ; …; 21 xã"
    rate = [r.figure for r in runs if r.figure and r.figure.source.startswith("rate:")][0]
    assert rate is not None and rate.trace is not None
    assert {v["unit_code"] for v in rate.trace.values} == {"05115", "05113"}
    assert "cộng dồn" in rate.trace.rule
    # Outside the report's subtree: a visible error, never the other unit's figure.
    commune = Resolver(unit=Unit.objects.get(code="05115"), period=parse_period("2019"))
    leak = "".join(r.text for r in render_runs("[[value:literacy_level1|age_band=15-25|unit=05113]]", commune))
    assert leak.startswith("[[lỗi:") and "05113" in leak and "1" not in leak.replace("05113", "")


@pytest.mark.django_db
def test_levels_are_counted_per_commune_never_summed(demo: None) -> None:
    # literacy_standard_level (aggregation: none) for 2014, a year no demo writes: two communes.
    data_values_write(actor=None, source="imported", rule="kiểm thử", values=[
        Value(element="literacy_standard_level", unit_code="05115", period="2014", value=2),
        Value(element="literacy_standard_level", unit_code="05113", period="2014", value=1),
    ])
    resolver = Resolver(unit=Unit.objects.get(code="051"), period=parse_period("2012-2016"))
    runs = render_runs("[[count:communes_meeting|element=literacy_standard_level|min=2|period=2014]]/[[count:communes]]; "
                       "[[value:literacy_standard_level|period=2014]]", resolver)
    assert "".join(r.text for r in runs) == "1/21; …"  # a level is never the sum of the communes' levels (3)
    meeting = runs[0].figure
    assert meeting is not None and meeting.trace is not None
    assert meeting.trace.items == ["xã Nam Tuấn"] and [v["unit_code"] for v in meeting.trace.values] == ["05115"]
    with pytest.raises(PlaceholderError):
        parse_one("count:communes_meeting|element=Bad-Code|min=2")
    # On a value, "kind" is a disaggregation key (communication_outputs|kind=news_item), not a count option.
    assert parse_one("value:communication_outputs|kind=news_item").disaggregation == "kind=news_item"
    assert parse_one("count:organisations|kind=community_learning_centre").disaggregation == ""


@pytest.mark.django_db
def test_user_text_cannot_run_template_code_or_script(demo: None) -> None:
    resolver = Resolver(unit=Unit.objects.get(code="051"), period=parse_period("2019"))
    evil = "{% load static %}{{ request.user.password }}<script>alert(1)</script> [[unit:name]] [[value:x|a=<b>]]"
    html = str(runs_html(render_runs(evil, resolver), 1))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "{{ request.user.password }}" in html and "{% load static %}" in html  # shown as text, not run
    assert "huyện Hòa An" in html
    assert "<b>" not in html


def test_foreign_text_in_a_draft_cannot_open_a_placeholder() -> None:
    from xhht.official_reports.placeholders import escape_text

    assert all(isinstance(s, Text) for s in parse(escape_text("Quyết định [[value:secret|unit=04]]")))


def test_every_provider_named_in_the_catalogue_is_registered() -> None:
    from xhht.official_reports.providers import PROVIDERS

    def walk(sections: list[dict[str, Any]]) -> list[str]:
        return [p for s in sections for p in ([s["provider"]] if s.get("provider") else []) + walk(s.get("sections", []))]

    for kind in report_kinds().values():
        assert set(walk(kind.sections)) <= set(PROVIDERS)


def test_review_kind_structure() -> None:
    review = report_kinds()["review"]
    assert review.data["period_types"] == ["phase"]
    assert [s["key"] for s in review.sections] == ["steering", "targets", "directions", "recommendations"]
    table = [c for s in review.sections for c in s.get("sections", []) if c["key"] == "targets.review"][0]
    assert table["provider"] == "indicators.targets_review" and table["params"]["programme"] == "qd1373-2021-2030"
    # The phase summary stays the default report of a phase.
    from xhht.official_reports.catalogue import default_kind_for_period

    assert default_kind_for_period("phase") == "phase-summary"
