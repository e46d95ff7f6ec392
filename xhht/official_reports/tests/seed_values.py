"""The seed report's table figures (Báo cáo 298/BC-UBND, Hòa An 2020), as store values.

Until the literacy, learning-model and activity apps are merged, tests put these values into the
store themselves (source "imported"); after the merge, the lead replaces this by those apps' demo
loaders and keeps the assertions (docs/official_reports.md lists them)."""

from __future__ import annotations

from xhht.indicators.services import Value, data_values_write

D = "051"
RULE = "kiểm thử: số liệu bảng của Báo cáo 298/BC-UBND"

LITERACY_2019 = {  # band: (population, level1, level2)
    "15-25": (7916, 7844, 7817),
    "15-35": (20126, 19925, 19776),
    "15-60": (39564, 39127, 38091),
}
CLC = {  # school year: (topics, classes, participants)
    "2016-2017": (187, 167, 8247),
    "2017-2018": (190, 170, 10940),
    "2018-2019": (179, 152, 10420),
    "2019-2020": (108, 97, 7965),
}
LEARNING_COMMUNITY = {  # year: (evaluated, tot, kha, trung_binh, khong_dat)
    "2018": (21, 0, 14, 4, 3),
    "2019": (21, 4, 11, 4, 2),
}
VOCATIONAL = {  # year: (classes, learners, ethnic minority, poor, policy, disabled); None = blank in the seed
    "2010": (8, 228, 215, 26, 13, 0),
    "2011": (38, 814, 794, 68, 17, 0),
    "2012": (12, 331, 320, 45, 29, 0),
    "2013": (15, 461, 449, 42, 2, 0),
    "2014": (17, 526, 447, 30, 0, 0),
    "2015": (10, 276, 262, 28, 3, 0),
    "2016": (10, 262, 260, 17, 1, 0),
    "2017": (6, 168, 168, 168, 0, 0),
    "2018": (4, 122, 122, 122, 0, 0),
    "2019": (5, 170, 167, None, None, None),
}
BUDGET_2020 = {"budget_clc_total": 40552000, "budget_clc_recurrent": 25000000, "budget_clc_allowance": 15552000}


def seed_values() -> list[Value]:
    values: list[Value] = []
    for band, (pop, l1, l2) in LITERACY_2019.items():
        for element, v in (("literacy_population", pop), ("literacy_level1", l1), ("literacy_level2", l2)):
            values.append(Value(element=element, unit_code=D, period="2019", value=v, disaggregation={"age_band": band}))
    for period, (topics, classes, people) in CLC.items():
        for element, v in (("clc_topics", topics), ("clc_classes", classes), ("clc_participants", people)):
            values.append(Value(element=element, unit_code=D, period=period, value=v))
    for period, (evaluated, tot, kha, tb, kd) in LEARNING_COMMUNITY.items():
        for element, v in (("lc_commune_evaluated", evaluated), ("lc_commune_tot", tot), ("lc_commune_kha", kha),
                           ("lc_commune_trung_binh", tb), ("lc_commune_khong_dat", kd)):
            values.append(Value(element=element, unit_code=D, period=period, value=v))
    names = ["vocational_classes", "vocational_learners", "vocational_learners_ethnic_minority", "vocational_learners_poor",
             "vocational_learners_policy", "vocational_learners_disabled"]
    for period, row in VOCATIONAL.items():
        for element, v in zip(names, row):
            if v is not None:
                values.append(Value(element=element, unit_code=D, period=period, value=v))
    for element, v in BUDGET_2020.items():
        values.append(Value(element=element, unit_code=D, period="2020", value=v))
    return values


def write_seed_values() -> None:
    data_values_write(actor=None, values=seed_values(), source="imported", rule=RULE)
