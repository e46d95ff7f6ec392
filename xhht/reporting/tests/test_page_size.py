"""Pages that stay small: the completeness page and the appendix issue the same number of queries whatever the
number of communes, and a province page carries its children, not every commune below them."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xhht.accounts.models import Role
from xhht.accounts.services import user_create_or_update
from xhht.indicators.periods import parse_period
from xhht.indicators.services import Value, data_values_write
from xhht.reporting.models import Status, Submission
from xhht.units.models import Unit, UnitVersion
from xhht.units.services import unit_tree_batch

pytestmark = pytest.mark.django_db


def province(code: str, districts: int, communes: int) -> list[str]:
    """A synthetic province: officers at the province, the districts and half of the communes; a third of the
    communes submitted their 2020 report on time, a sixth late; every commune holds II.5's numerator and denominator (workers with life skills, workers)."""
    leaves = []
    with unit_tree_batch():
        Unit.objects.create(code=code, name=f"Tỉnh {code}", kind="province")
        UnitVersion.objects.create(unit_id=code, name=f"Tỉnh {code}", kind="province")
        for d in range(districts):
            dcode = f"{code}{d:02d}"
            Unit.objects.create(code=dcode, name=f"Huyện {d}", kind="district", parent_id=code)
            UnitVersion.objects.create(unit_id=dcode, name=f"Huyện {d}", kind="district", parent_id=code)
            for c in range(communes):
                ccode = f"{dcode}{c:02d}"
                Unit.objects.create(code=ccode, name=f"Xã {d}.{c}", kind="commune", parent_id=dcode)
                UnitVersion.objects.create(unit_id=ccode, name=f"Xã {d}.{c}", kind="commune", parent_id=dcode)
                leaves.append(ccode)
    for i, ccode in enumerate(leaves):
        if i % 2 == 0:
            user_create_or_update(actor=None, username=f"xa.{ccode}", password=None, role=Role.COMMUNE_OFFICER, unit=Unit.objects.get(code=ccode),
                                  full_name=f"Cán bộ {ccode}", phone="0912345678")
        if i % 3 == 0:
            at = datetime(2021, 1, 10 if i % 2 else 30, tzinfo=timezone.utc)
            Submission.objects.create(form_code="commune", unit_id=ccode, reporter_key=f"u:{ccode}", period="2020", status=Status.SUBMITTED,
                                      first_submitted_at=at, submitted_at=at)
    data_values_write(actor=None, source="imported", rule="kiểm thử", values=[
        Value(element=element, unit_code=ccode, period="2020", value=value)
        for ccode in leaves for element, value in (("workers_life_skills", 90), ("workers_total", 100))])
    user_create_or_update(actor=None, username=f"so.{code}", password=None, role=Role.PROVINCE_OFFICER, unit=Unit.objects.get(code=code))
    return leaves


def queries(client: Any, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.content.decode()


def test_completeness_and_appendix_issue_the_same_queries_at_two_tree_sizes(client: Any) -> None:
    from xhht.accounts.models import User

    counts = {}
    for code, districts, communes in (("Q1", 2, 3), ("Q2", 5, 12)):
        leaves = province(code, districts, communes)
        client.force_login(User.objects.get(username=f"so.{code}"))
        n_province, html = queries(client, reverse("reporting:completeness", args=[code, "2020"]))
        # The province page carries its districts (one summary row each), not a row per commune.
        assert html.count('data-child="') == districts and html.count('data-reporter="') == districts
        assert f'data-reporter="{leaves[-1]}"' not in html
        assert "Cán bộ " + leaves[0] not in html or "0912345678" in html
        n_district, html = queries(client, reverse("reporting:completeness", args=[f"{code}00", "2020"]))
        assert html.count('data-reporter="') == communes + 1  # its communes and itself
        n_appendix, html = queries(client, reverse("indicators:unit", args=[code]) + "?tu_nam=2016&den_nam=2020")
        assert f"{90 * len(leaves):,}".replace(",", ".") in html and "90,00" in html  # II.5: 90/100 workers in every commune
        counts[code] = (n_province, n_district, n_appendix)
    assert counts["Q1"] == counts["Q2"], counts


def test_a_long_list_is_paged(client: Any) -> None:
    from xhht.accounts.models import User

    province("Q3", 1, 30)
    client.force_login(User.objects.get(username="so.Q3"))
    url = reverse("reporting:completeness", args=["Q300", "2020"])
    from xhht.reporting import selectors

    def communes(page: selectors.CompletenessPage) -> set[str]:
        return {r.reporter.unit.code for s in page.sections if s.form.code == "commune" for r in s.rows}

    page = selectors.completeness_page(unit=Unit.objects.get(code="Q300"), period=parse_period("2020"), per_page=10)
    assert page.pages == 3 and page.totals.expected == 31 and len(communes(page)) == 10  # 30 communes and the district's own report
    assert page.reminders_total == 31 - 10 and len(page.reminders) == 10  # ten of the thirty communes submitted (every third)
    second = selectors.completeness_page(unit=Unit.objects.get(code="Q300"), period=page.period, per_page=10, page=2)
    assert len(communes(second)) == 10 and communes(second).isdisjoint(communes(page))
    html = client.get(url).content.decode()
    assert html.count('data-reporter="') == 31


def test_the_peer_check_reads_each_group_once_and_equals_the_median_of_the_siblings() -> None:
    import random
    from statistics import median

    from xhht.reporting.catalogue import get_catalogue
    from xhht.reporting.validation import _ratio_out, outlier_findings_many

    check = next(c for c in get_catalogue().outliers if c.kind == "peers" and c.covers("rpt_clc_topics"))
    rnd = random.Random(5)
    counts = []
    for code, districts, communes in (("Q5", 2, 6), ("Q6", 4, 15)):
        leaves = province(code, districts, communes)
        values = {c: rnd.choice([rnd.randint(5, 30), rnd.randint(100, 400)]) for c in leaves}
        data_values_write(actor=None, source="imported", rule="kiểm thử",
                          values=[Value(element="rpt_clc_topics", unit_code=c, period="2020", value=v) for c, v in values.items()])
        units = list(Unit.objects.filter(code__in=leaves))
        with CaptureQueriesContext(connection) as ctx:
            found = outlier_findings_many(units=units, period="2020")
        counts.append(len(ctx.captured_queries))
        for c in leaves:
            others = [Decimal(v) for o, v in values.items() if o != c and o[:4] == c[:4]]
            middle = Decimal(median(others))
            flagged = len(others) >= check.min_peers and max(middle, values[c]) >= check.min_value and _ratio_out(Decimal(values[c]), middle, check.factor)
            assert any(f.kind == "peers" and f.keys == ["rpt_clc_topics"] for f in found[c]) == flagged, c
    assert counts[0] == counts[1]
