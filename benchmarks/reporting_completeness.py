"""Benchmark of the reporting cycle on a generated province.

    XHHT_DATA_DIR=/tmp/xhht-bench-reporting python benchmarks/reporting_completeness.py [--districts 10] [--communes 20]

Generates a province with D districts of C communes (and each district's offices), commune reports
for 2020 in mixed states with their values in the shared store, then times: the completeness of one
district and of the province, the district workbook (one sheet per commune), uploading it back filled,
and the data-quality checks (rules and outliers) of one district.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("XHHT_DATA_DIR", "/tmp/xhht-bench-reporting")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xhht.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--districts", type=int, default=10)
    parser.add_argument("--communes", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from openpyxl import load_workbook
    from tqdm import tqdm

    from xhht.indicators.models import DataValue
    from xhht.indicators.periods import parse_period
    from xhht.organisations.models import Organisation
    from xhht.reporting.catalogue import get_catalogue
    from xhht.reporting.demo import commune_values
    from xhht.reporting.excel import import_workbook, template_workbook
    from xhht.reporting.models import Status, Submission
    from xhht.reporting.selectors import completeness, expected_reporters
    from xhht.reporting.services import parse_form_values
    from xhht.reporting.validation import form_findings, outlier_findings
    from xhht.units.models import Unit, UnitVersion

    call_command("migrate", verbosity=0)
    form = get_catalogue().forms["commune"]
    with transaction.atomic():
        Submission.objects.all().delete()
        DataValue.objects.filter(unit__code__startswith="9").delete()
        Organisation.objects.filter(unit__code__startswith="9").delete()
        UnitVersion.objects.filter(unit__code__startswith="9").delete()
        Unit.objects.filter(code__startswith="9", kind="commune").delete()
        Unit.objects.filter(code__startswith="9", kind="district").delete()
        Unit.objects.filter(code__startswith="9").delete()
        province = Unit.objects.create(code="90", name="Tỉnh thử", kind="province")
        UnitVersion.objects.create(unit=province, name=province.name, kind="province")
        units, versions, values, subs = [], [], [], []
        for d in tqdm(range(args.districts), desc="đơn vị"):
            district = Unit(code=f"9{d:02d}", name=f"Huyện {d}", kind="district", parent=province)
            units.append(district)
            versions.append(UnitVersion(unit=district, name=district.name, kind="district", parent=province))
            for c in range(args.communes):
                commune = Unit(code=f"9{d:02d}{c:02d}", name=f"Xã {d}-{c}", kind="commune", parent=district)
                units.append(commune)
                versions.append(UnitVersion(unit=commune, name=commune.name, kind="commune", parent=district))
        Unit.objects.bulk_create(units)
        UnitVersion.objects.bulk_create(versions)
        for district in [u for u in units if u.kind == "district"]:
            Organisation.objects.bulk_create([Organisation(unit=district, kind=k, name=f"{k} {district.code}") for k in
                                              ["education_office", "labour_office", "womens_union", "youth_union"]])
        from datetime import datetime
        from zoneinfo import ZoneInfo

        at = datetime(2021, 1, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
        for i, commune in enumerate(tqdm([u for u in units if u.kind == "commune"], desc="báo cáo")):
            if i % 10 < 7:
                parsed, _, _ = parse_form_values(form, commune_values(i % 20, 2020))
                for cell in form.cells:
                    if parsed[cell.key] is not None:
                        key = ";".join(f"{k}={v}" for k, v in sorted(cell.disaggregation.items()))
                        values.append(DataValue(element=cell.element, unit=commune, period="2020", disaggregation=key, value=parsed[cell.key], source="imported"))
                subs.append(Submission(form_code="commune", unit=commune, reporter_key=f"u:{commune.code}", period="2020", version=1,
                                       status=Status.SUBMITTED if i % 10 < 5 else Status.DRAFT, first_submitted_at=at if i % 10 < 5 else None))
        DataValue.objects.bulk_create(values, batch_size=2000)
        Submission.objects.bulk_create(subs, batch_size=2000)

    period = parse_period("2020")
    district = Unit.objects.get(code="900")

    def timed(label: str, fn):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        result = fn()
        print(f"{label}: {time.perf_counter() - start:.3f} s")
        return result

    n = args.districts * args.communes
    print(f"Tỉnh thử: {args.districts} huyện × {args.communes} xã = {n} xã, {DataValue.objects.filter(unit__code__startswith='9').count()} giá trị, "
          f"{len(subs)} báo cáo")
    timed("completeness, one district", lambda: completeness(unit=district, period=period))
    timed(f"completeness, province ({n} communes)", lambda: completeness(unit=province, period=period))
    reporters = [r for r in expected_reporters(form=form, unit=district, period=period) if r.unit.code != district.code]
    reporters = [r for r in reporters if not Submission.objects.filter(reporter_key=r.key, period="2020", status=Status.SUBMITTED).exists()]
    content = timed(f"district workbook ({len(reporters)} sheets)", lambda: template_workbook(form=form, reporters=reporters, period="2020"))
    path = Path(tempfile.mkstemp(suffix=".xlsx")[1])
    path.write_bytes(content)
    wb = load_workbook(path)
    for index, ws in enumerate(wb.worksheets[: len(reporters)]):
        for row in ws.iter_rows(min_row=9):
            v = commune_values(index % 20, 2020).get(row[0].value)
            if v is not None:
                row[4].value = v
    wb.save(path)
    results = timed(f"upload of the filled workbook ({len(reporters)} sheets, all or nothing)",
                    lambda: import_workbook(path=path, actor=None, check_rights=False))
    assert len(results) == len(reporters)
    path.unlink()

    def quality() -> int:
        count = 0
        for sub in Submission.objects.filter(unit__parent=district, period="2020"):
            count += len(form_findings(form, {f"{v.element}[{v.disaggregation}]" if v.disaggregation else v.element: v.value
                                              for v in DataValue.objects.filter(unit=sub.unit, period="2020")}))
        for unit in Unit.objects.filter(parent=district):
            count += len(outlier_findings(unit=unit, period="2020"))
        return count

    timed(f"data quality of one district ({args.communes} communes: rules and outliers)", quality)


if __name__ == "__main__":
    main()
