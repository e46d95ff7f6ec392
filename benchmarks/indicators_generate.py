"""Data generator for the indicator benchmarks: a synthetic province of D districts × C communes × Y years.

Creates units (province "B9", districts "B9xx", communes "B9xxyy", with their UnitVersion) and, at
every commune and year, the values of every data element that the QĐ 89 programme's indicators read
(numerators, denominators, reported rates, with the indicators' disaggregations). Values are
bulk-inserted into the store for speed — this is a generator, not an import path; the web and the
importers write through ``data_values_write``. Deterministic (seeded), idempotent (deletes first).

    python benchmarks/indicators_generate.py [--districts 10] [--communes 20] [--years 10]
"""

from __future__ import annotations

import argparse
import random
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import province_tree_replace, setup  # noqa: E402

PROVINCE = "B9"
FIRST_YEAR = 2011


def generate(*, districts: int = 10, communes: int = 20, years: int = 10, seed: int = 2020) -> dict[str, int]:
    from django.db import transaction
    from tqdm import tqdm

    from xhht.indicators.catalogue import catalogue
    from xhht.indicators.models import DataValue
    from xhht.indicators.services import disaggregation_key, rollups_rebuild

    rnd = random.Random(seed)
    programme = catalogue().programmes["qd89-2012-2020"]
    with transaction.atomic():
        DataValue.objects.filter(unit__code__startswith=PROVINCE).delete()
        leaves = province_tree_replace(code=PROVINCE, name="Tỉnh thử", districts=districts, communes=communes)
        values = []
        for ccode in tqdm(leaves, desc="Sinh số liệu", unit="xã"):
            for year in range(FIRST_YEAR, FIRST_YEAR + years):
                for ind in programme.indicators():
                    key = disaggregation_key(ind.filter_dict)
                    den = rnd.randint(200, 2000)
                    num = rnd.randint(int(den * 0.9), den)
                    if ind.denominator:
                        values.append(DataValue(element=ind.denominator, unit_id=ccode, period=str(year), disaggregation=key,
                                                value=den, source="imported", rule="benchmark"))
                    values.append(DataValue(element=ind.count_element, unit_id=ccode, period=str(year), disaggregation=key,
                                            value=num, source="imported", rule="benchmark"))
                    if ind.rate_element:
                        values.append(DataValue(element=ind.rate_element, unit_id=ccode, period=str(year), disaggregation=key,
                                                value=(Decimal(num * 100) / den).quantize(Decimal("0.01")), source="imported", rule="benchmark"))
        DataValue.objects.bulk_create(values, batch_size=5000)
        rollups_rebuild()  # the generator bypasses data_values_write, so it brings the roll-ups up to date itself
    return {"units": 1 + districts + len(leaves), "values": len(values)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=10)
    parser.add_argument("--communes", type=int, default=20)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    setup()
    print(generate(districts=args.districts, communes=args.communes, years=args.years))


if __name__ == "__main__":
    main()
