"""The activity registers: what centres taught, who learned a trade, the lifelong learning week,
communication, commendations and budget.

Every record carries the ``unit`` that keeps it (for a community learning centre's records, the
centre's commune), so scoping is one filter. Vocabularies (subject areas, channels, sources…) are
catalogue codes (``catalogue/registers.yaml``), checked by the services, not database choices.
Counts that a unit did not report are NULL, never 0.
"""

from __future__ import annotations

from django.db import models

from xhht.organisations.models import Organisation
from xhht.units.models import Unit


class ClcStaffing(models.Model):
    """The staff of one community learning centre in a school year."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    centre = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="clc_staffing", verbose_name="trung tâm")
    school_year = models.CharField("năm học", max_length=9)
    managers = models.PositiveIntegerField("cán bộ quản lý")
    accountants_treasurers = models.PositiveIntegerField("kế toán, thủ quỹ")
    note = models.CharField("ghi chú", max_length=500, blank=True)

    class Meta:
        verbose_name = "cán bộ TTHTCĐ"
        verbose_name_plural = "cán bộ TTHTCĐ"
        ordering = ["school_year", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["centre", "school_year"], name="clc_staffing_unique")]
        indexes = [models.Index(fields=["unit", "school_year"])]

    def __str__(self) -> str:
        return f"Cán bộ {self.centre} năm học {self.school_year}"


class ClcTopic(models.Model):
    """A topic (chuyên đề) a community learning centre held in a school year."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    centre = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="clc_topics", verbose_name="trung tâm")
    school_year = models.CharField("năm học", max_length=9)
    title = models.CharField("tên chuyên đề", max_length=300)
    subject_area = models.CharField("lĩnh vực", max_length=40)
    speaker_organisation = models.CharField("báo cáo viên (cơ quan)", max_length=250, blank=True)
    classes = models.PositiveIntegerField("số lớp")
    participants = models.PositiveIntegerField("người tham gia")
    note = models.CharField("ghi chú", max_length=500, blank=True)

    class Meta:
        verbose_name = "chuyên đề TTHTCĐ"
        verbose_name_plural = "chuyên đề TTHTCĐ"
        ordering = ["school_year", "unit_id", "id"]
        indexes = [models.Index(fields=["unit", "school_year"]), models.Index(fields=["school_year"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.school_year})"


class VocationalClass(models.Model):
    """A vocational training class for rural workers, with its learners' breakdown."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    year = models.PositiveSmallIntegerField("năm")
    name = models.CharField("tên lớp", max_length=250)
    trade = models.CharField("nghề", max_length=200)
    sector = models.CharField("nhóm nghề", max_length=20)
    level = models.CharField("trình độ", max_length=20)
    organiser = models.CharField("cơ sở tổ chức", max_length=250, blank=True)
    funding_source = models.CharField("nguồn kinh phí", max_length=40)
    learners = models.PositiveIntegerField("số người học")
    ethnic_minority = models.PositiveIntegerField("người dân tộc thiểu số", null=True, blank=True)
    poor_household = models.PositiveIntegerField("thuộc hộ nghèo", null=True, blank=True)
    policy_beneficiary = models.PositiveIntegerField("đối tượng chính sách", null=True, blank=True)
    disabled = models.PositiveIntegerField("người khuyết tật", null=True, blank=True)
    note = models.CharField("ghi chú", max_length=500, blank=True)

    class Meta:
        verbose_name = "lớp dạy nghề"
        verbose_name_plural = "lớp dạy nghề"
        ordering = ["year", "unit_id", "id"]
        indexes = [models.Index(fields=["unit", "year"]), models.Index(fields=["year"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class LifelongWeek(models.Model):
    """The lifelong learning week a unit organised in a year."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    year = models.PositiveSmallIntegerField("năm")
    theme = models.CharField("chủ đề", max_length=300, blank=True)
    host_school = models.CharField("trường đăng cai", max_length=250, blank=True)
    host_centre = models.CharField("TTHTCĐ phối hợp", max_length=250, blank=True)
    participants = models.PositiveIntegerField("người tham gia", null=True, blank=True)
    delegates = models.PositiveIntegerField("đại biểu", null=True, blank=True)
    books_collected = models.PositiveIntegerField("sách thu được", null=True, blank=True)
    banners = models.PositiveIntegerField("băng rôn, khẩu hiệu", null=True, blank=True)
    note = models.CharField("ghi chú", max_length=500, blank=True)

    class Meta:
        verbose_name = "tuần lễ học tập suốt đời"
        verbose_name_plural = "tuần lễ học tập suốt đời"
        ordering = ["year", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="lifelong_week_unique")]

    def __str__(self) -> str:
        return f"Tuần lễ học tập suốt đời {self.year} ({self.unit_id})"


class CommunicationItem(models.Model):
    """News items, articles or features an organisation ran in a period, on one channel."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="communication_items", verbose_name="cơ quan")
    period = models.CharField("năm / giai đoạn", max_length=9)
    channel = models.CharField("kênh", max_length=30)
    kind = models.CharField("loại", max_length=20)
    count = models.PositiveIntegerField("số lượng")
    estimated = models.BooleanField("ước tính", default=False)
    note = models.CharField("ghi chú", max_length=500, blank=True)

    class Meta:
        verbose_name = "tin, bài tuyên truyền"
        verbose_name_plural = "tin, bài tuyên truyền"
        ordering = ["period", "unit_id", "organisation_id", "channel", "kind"]
        constraints = [models.UniqueConstraint(fields=["organisation", "period", "channel", "kind"], name="communication_unique")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.period} {self.kind} {self.count}"


class Commendation(models.Model):
    """A certificate of merit to a commune, organisation, family or person."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    year = models.PositiveSmallIntegerField("năm")
    level = models.CharField("hình thức, cấp", max_length=30)
    recipient_kind = models.CharField("đối tượng", max_length=20)
    recipient_name = models.CharField("tên tập thể, cá nhân", max_length=250, blank=True)
    decision = models.CharField("quyết định", max_length=120, blank=True)
    reason = models.CharField("thành tích", max_length=500, blank=True)
    note = models.CharField("ghi chú", max_length=500, blank=True)

    class Meta:
        verbose_name = "khen thưởng"
        verbose_name_plural = "khen thưởng"
        ordering = ["year", "unit_id", "id"]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return f"Khen thưởng {self.year}: {self.recipient_name or self.recipient_kind}"


class BudgetLine(models.Model):
    """A line of money spent on the programme: unit, period, source and purpose; đồng, exact."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    period = models.CharField("năm / giai đoạn", max_length=9)
    source = models.CharField("nguồn", max_length=30)
    purpose = models.CharField("nội dung chi", max_length=30)
    amount = models.DecimalField("số tiền (đồng)", max_digits=18, decimal_places=0)
    beneficiary = models.CharField("đơn vị sử dụng", max_length=250, blank=True)
    note = models.CharField("ghi chú", max_length=500, blank=True)

    class Meta:
        verbose_name = "dòng kinh phí"
        verbose_name_plural = "kinh phí"
        ordering = ["period", "unit_id", "id"]
        indexes = [models.Index(fields=["unit", "period"])]

    def __str__(self) -> str:
        return f"Kinh phí {self.unit_id} {self.period}: {self.amount}"


class VocationalLearner(models.Model):
    """A person on a vocational class's learner list, where the unit keeps one.

    A class with a list takes its counts (learners and breakdowns) from the list.
    """

    vocational_class = models.ForeignKey(VocationalClass, on_delete=models.CASCADE, related_name="learner_list", verbose_name="lớp")
    full_name = models.CharField("họ và tên", max_length=200)
    birth_year = models.PositiveSmallIntegerField("năm sinh", null=True, blank=True)
    sex = models.CharField("giới tính", max_length=1, blank=True)  # M | F | ""
    ethnicity = models.CharField("dân tộc", max_length=60, blank=True)
    ethnic_minority = models.BooleanField("dân tộc thiểu số", default=False)
    poor_household = models.BooleanField("hộ nghèo", default=False)
    policy_beneficiary = models.BooleanField("đối tượng chính sách", default=False)
    disabled = models.BooleanField("người khuyết tật", default=False)

    class Meta:
        verbose_name = "học viên học nghề"
        verbose_name_plural = "học viên học nghề"
        ordering = ["vocational_class_id", "id"]

    def __str__(self) -> str:
        return self.full_name
