from __future__ import annotations

from django.db import models

from xhht.core.text import fold
from xhht.units.models import Unit


class DocumentKind(models.TextChoices):
    DECISION = "decision", "Quyết định"
    PLAN = "plan", "Kế hoạch"
    OFFICIAL_LETTER = "official_letter", "Công văn"
    REPORT = "report", "Báo cáo"
    DIRECTIVE = "directive", "Chỉ thị"
    RESOLUTION = "resolution", "Nghị quyết"
    DECREE = "decree", "Nghị định"
    CIRCULAR = "circular", "Thông tư"
    GUIDANCE = "guidance", "Hướng dẫn"
    OTHER = "other", "Văn bản khác"


class LegalDocument(models.Model):
    """An entry of the documents register: a decision, plan, letter… issued at some level."""

    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="documents", verbose_name="đơn vị (cấp ban hành)",
                             help_text="Để trống cho văn bản cấp Trung ương.")
    kind = models.CharField("loại văn bản", max_length=20, choices=DocumentKind.choices)
    number = models.CharField("số, ký hiệu", max_length=60)
    issued_on = models.DateField("ngày ban hành")
    issuer = models.CharField("cơ quan ban hành", max_length=200)
    title = models.TextField("trích yếu")
    file = models.FileField("tệp đính kèm", upload_to="documents/%Y/", blank=True)
    # Title and number without diacritics, so "ke hoach 33" finds "Kế hoạch số 33/KH-UBND".
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = "văn bản"
        verbose_name_plural = "văn bản chỉ đạo, điều hành"
        ordering = ["-issued_on", "number"]
        # A document belongs to the unit that registered it: the same national text may be registered
        # by many units, each its own entry (issue 12, hole 1); central entries (no unit) once.
        constraints = [
            models.UniqueConstraint(fields=["unit", "number", "issued_on"], name="document_unique_unit_number_date"),
            models.UniqueConstraint(fields=["number", "issued_on"], condition=models.Q(unit__isnull=True), name="document_unique_central_number_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} số {self.number} ngày {self.issued_on:%d/%m/%Y}"

    def refresh_search_text(self) -> None:
        self.search_text = fold(f"{self.get_kind_display()} {self.number} {self.issuer} {self.title}")


class SteeringCommittee(models.Model):
    """The Ban Chỉ đạo of a unit for the programme."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="steering_committees", verbose_name="đơn vị")
    name = models.CharField("tên", max_length=300)
    established_by = models.ForeignKey(LegalDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="quyết định thành lập")
    last_consolidated_by = models.ForeignKey(LegalDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="quyết định kiện toàn gần nhất")
    active = models.BooleanField("đang hoạt động", default=True)

    class Meta:
        verbose_name = "Ban Chỉ đạo"
        verbose_name_plural = "Ban Chỉ đạo"
        ordering = ["unit_id"]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    committee = models.ForeignKey(SteeringCommittee, on_delete=models.CASCADE, related_name="members", verbose_name="Ban Chỉ đạo")
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    full_name = models.CharField("họ và tên", max_length=120, blank=True)
    position = models.CharField("chức vụ trong Ban", max_length=120)
    job_title = models.CharField("chức vụ, cơ quan công tác", max_length=250, blank=True)
    area = models.CharField("lĩnh vực phụ trách", max_length=300, blank=True)

    class Meta:
        verbose_name = "thành viên Ban Chỉ đạo"
        verbose_name_plural = "thành viên Ban Chỉ đạo"
        ordering = ["committee_id", "order"]

    def __str__(self) -> str:
        return f"{self.full_name or '(chưa ghi tên)'} – {self.position}"
