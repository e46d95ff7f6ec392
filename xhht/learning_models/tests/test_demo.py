"""The demo reproduces the seed's distribution 2017–2019 through actual evaluations."""

from __future__ import annotations

from fractions import Fraction

import pytest

from xhht.core.formatting import format_percent
from xhht.indicators.models import DataValue
from xhht.learning_models.models import Evaluation, IndicatorScore, ModelKind, RecognitionEntry
from xhht.learning_models.selectors import commune_classification_table, recognised_entries, registration_shares
from xhht.units.models import Unit

pytestmark = pytest.mark.django_db


def test_distribution_2017_2019(learning_models_demo: None) -> None:
    rows = {r.year: r for r in commune_classification_table(unit=Unit.objects.get(code="051"), years=[2017, 2018, 2019])}
    assert rows[2017].counts == {"tot": 0, "kha": 0, "trung_binh": 1, "khong_dat": 0} and rows[2017].communes == 21
    assert rows[2017].note.startswith("01 xã")
    assert rows[2018].counts == {"tot": 0, "kha": 14, "trung_binh": 4, "khong_dat": 3}
    assert rows[2019].counts == {"tot": 4, "kha": 11, "trung_binh": 4, "khong_dat": 2}
    assert rows[2018].rates["kha"] == Fraction(1400, 21)
    assert [format_percent(rows[2019].rates[c], 1) for c in ("tot", "kha", "trung_binh", "khong_dat")] == ["19,0%", "52,4%", "19,0%", "9,5%"]
    # The seed prints 52,5 for 11/21: the exact share is 52,38%.
    assert format_percent(rows[2019].rates["kha"]) == "52,38%"


def test_scores_are_entered_indicator_by_indicator(learning_models_demo: None) -> None:
    evaluations = Evaluation.objects.filter(registration__participant__kind=ModelKind.COMMUNE, registration__year=2019)
    assert evaluations.count() == 21
    for ev in evaluations:
        rows = IndicatorScore.objects.filter(evaluation=ev)
        assert rows.count() == 17
        total = sum(r.value for r in rows if r.indicator not in ("c5_xmc2", "c5_pcmn5"))
        assert total == ev.total
    corrected = IndicatorScore.objects.filter(evaluation__registration__year=2019, reviewed_value__isnull=False)
    assert corrected.count() == 2 and all(r.review_reason for r in corrected)


def test_clans_recognised(learning_models_demo: None) -> None:
    hong_nam = [(e.evaluation.participant.name, e.evaluation.participant.village)
                for e in recognised_entries(unit=Unit.objects.get(code="05112"), kind=ModelKind.CLAN, year=2019)]
    assert len(hong_nam) == 6
    assert ("Dòng họ Đình", "xóm Khuổi Linh") in hong_nam and ("Dòng họ Nông", "xóm Nà Tổng") in hong_nam
    district = [e.evaluation.participant.name for e in recognised_entries(unit=Unit.objects.get(code="051"), kind=ModelKind.CLAN, year=2019)]
    assert len(district) == 7 and "Dòng họ Bùi Duy" in district
    assert DataValue.objects.get(element="lm_clans_recognised", unit_id="05112", period="2019").value == 6
    assert DataValue.objects.get(element="lc_commune_tot", unit_id="05115", period="2019").value == 1


def test_registration_share_hong_nam(learning_models_demo: None) -> None:
    rows, total = registration_shares(commune=Unit.objects.get(code="05112"), year=2019)
    assert (total.registered, total.households) == (115, 157)
    assert total.rate is not None and total.rate > 70


def test_demo_is_idempotent(learning_models_demo: None) -> None:
    from xhht.audit.models import AuditEntry
    from xhht.learning_models.demo import load

    before = (Evaluation.objects.count(), RecognitionEntry.objects.count(), AuditEntry.objects.count(), DataValue.objects.count())
    load()
    assert (Evaluation.objects.count(), RecognitionEntry.objects.count(), AuditEntry.objects.count(), DataValue.objects.count()) == before
