"""Household-survey persons per commune and survey year, and the per-commune aggregate.

Persons are the records (format 2); everything above a commune is computed from
:class:`CommuneAggregate`, which the importer and the person editor keep current, so a
district, province or national result never scans persons.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xhht.units.models import Unit


class Sex(models.TextChoices):
    MALE = "M", "Nam"
    FEMALE = "F", "Nữ"


class Disability(models.IntegerChoices):
    NONE = 0, "Không"
    ABLE_TO_LEARN = 1, "Khuyết tật, có khả năng học tập"
    UNABLE_TO_LEARN = 2, "Khuyết tật, không có khả năng học tập"


class Recognition(models.TextChoices):
    LITERACY = "literacy", "Xóa mù chữ"
    PRIMARY = "primary", "Phổ cập giáo dục tiểu học"
    LOWER_SECONDARY = "lower_secondary", "Phổ cập giáo dục THCS"


class Village(models.Model):
    """A village or residential group of a commune, as named in the survey."""

    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="survey_villages", verbose_name="xã")
    name = models.CharField("tên thôn, tổ", max_length=120)

    class Meta:
        verbose_name = "thôn, tổ dân phố"
        verbose_name_plural = "thôn, tổ dân phố"
        constraints = [models.UniqueConstraint(fields=["commune", "name"], name="literacy_village_unique")]
        ordering = ["commune_id", "name"]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    """A household of a commune in a survey year (derived from the imported persons).

    Keyed by (commune, year, code) itself: no surrogate ``id`` and no second unique index (a quarter of a
    person's bytes on disk went to them; docs/performance.md, issue 13).
    """

    pk = models.CompositePrimaryKey("commune", "year", "code")
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="xã", db_index=False)
    year = models.PositiveSmallIntegerField("năm điều tra")
    code = models.CharField("mã hộ", max_length=40)
    village = models.ForeignKey(Village, null=True, blank=True, on_delete=models.PROTECT, related_name="households")
    members = models.PositiveIntegerField("số nhân khẩu", default=0)

    class Meta:
        verbose_name = "hộ gia đình"
        verbose_name_plural = "hộ gia đình"

    def __str__(self) -> str:
        return self.code


class SurveyPerson(models.Model):
    """One person of the household survey of a commune for a year (format 2).

    The biggest table (a nation: ~100 M rows), so it carries one index only: its primary key, the natural key
    (commune, year, person_id), which also serves every lookup by commune and year. No surrogate ``id`` and no
    folded copy of the name (the name search folds one commune-year's names with :func:`xhht.core.text.fold` on
    read: ``selectors.person_search``), and no database foreign key to the unit (a deferred check per row made a
    third of an import's time, at its commit): every writer checks the commune against the units first (the import
    once per distinct code), and PROTECT still guards a unit's deletion through Django.
    """

    pk = models.CompositePrimaryKey("commune", "year", "person_id")
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="xã", db_index=False,
                                db_constraint=False)
    year = models.PositiveSmallIntegerField("năm điều tra")
    person_id = models.CharField("mã người", max_length=40)
    household_code = models.CharField("mã hộ", max_length=40)
    village = models.CharField("thôn, tổ", max_length=120, blank=True)
    full_name = models.CharField("họ và tên", max_length=120, blank=True)
    sex = models.CharField("giới tính", max_length=1, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField("năm sinh")
    birth_date = models.DateField("ngày sinh", null=True, blank=True)
    ethnicity = models.CharField("dân tộc", max_length=40, blank=True)
    minority = models.BooleanField("dân tộc thiểu số", default=False)
    disability = models.PositiveSmallIntegerField("khuyết tật", choices=Disability.choices, default=Disability.NONE)
    highest_grade = models.PositiveSmallIntegerField("lớp cao nhất đã hoàn thành", default=0)
    enrolled_grade = models.PositiveSmallIntegerField("đang học lớp", null=True, blank=True)
    literacy_phase = models.PositiveSmallIntegerField("giai đoạn XMC đã hoàn thành", default=0)
    primary_completion_year = models.PositiveSmallIntegerField("năm hoàn thành tiểu học", null=True, blank=True)
    lower_secondary_completion_year = models.PositiveSmallIntegerField("năm tốt nghiệp THCS", null=True, blank=True)

    class Meta:
        verbose_name = "người trong phiếu điều tra"
        verbose_name_plural = "người trong phiếu điều tra"

    def __str__(self) -> str:
        return f"{self.full_name or self.person_id} ({self.birth_year})"


class SurveyCounts(models.Model):
    """The counts kept per commune (or village), year, age segment, sex, Kinh/minority and unable to learn."""

    commune = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    age_from = models.PositiveSmallIntegerField()  # first age of the segment
    sex = models.CharField(max_length=1)
    minority = models.BooleanField()
    unable_to_learn = models.BooleanField()
    population = models.IntegerField(default=0)
    level1 = models.IntegerField(default=0)
    level2 = models.IntegerField(default=0)
    entered_grade1 = models.IntegerField(default=0)
    completed_primary = models.IntegerField(default=0)
    in_primary = models.IntegerField(default=0)
    lower_secondary_diploma = models.IntegerField(default=0)
    studying_upper = models.IntegerField(default=0)

    class Meta:
        abstract = True


class CommuneAggregate(SurveyCounts):
    """Counts of a commune's survey persons for a year, per age segment, sex, Kinh/minority, unable to learn.

    The age segments are those the rules need (``Rules.age_segments``: 0–5, 6, 7–10, 11, 12–13, 14, 15–18,
    19–25, 26–35, 36–60, 61+ for ND 20/2014), so every band or criterion range is a sum of whole rows and a
    commune has at most ~90 rows a year. Rebuilt from the persons of that commune and year on every import
    or edit, in the same transaction (and by ``xhht literacy_rebuild`` after a change of the rules file).
    """

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "commune", "age_from", "sex", "minority", "unable_to_learn"], name="literacy_aggregate_unique")]


class Attestation(models.Model):
    """The education office's word on the conditions records cannot show (TT 07/2016 Điều 3–6).

    ``level`` is the highest level of the recognition whose conditions are met (0 = none).
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    year = models.PositiveSmallIntegerField("năm")
    recognition = models.CharField("chuẩn", max_length=20, choices=Recognition.choices)
    level = models.PositiveSmallIntegerField("mức độ điều kiện bảo đảm đạt")
    note = models.TextField("ghi chú, căn cứ", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "xác nhận điều kiện bảo đảm"
        verbose_name_plural = "xác nhận điều kiện bảo đảm"
        constraints = [models.UniqueConstraint(fields=["unit", "year", "recognition"], name="literacy_attestation_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.recognition} ≤ {self.level}"


class VillageAggregate(SurveyCounts):
    """The counts of :class:`CommuneAggregate`, per village, for communes split by village (format 4).

    Built on demand when a commune's figures are read on a tree where its villages went to different
    units, and dropped whenever the commune's aggregate is rebuilt (so it is never stale).
    """

    village = models.CharField(max_length=120)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "commune", "village", "age_from", "sex", "minority", "unable_to_learn"],
                                               name="literacy_village_aggregate_unique")]
