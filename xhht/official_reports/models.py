from __future__ import annotations

from django.conf import settings
from django.db import models

from xhht.units.models import Unit


class Report(models.Model):
    """An official report (Báo cáo) of a unit for a period: its Decree 30/2020 header, and its sections."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="official_reports", verbose_name="đơn vị")
    period = models.CharField("kỳ báo cáo", max_length=20)
    kind = models.CharField("loại báo cáo", max_length=40)
    catalogue_version = models.PositiveIntegerField("phiên bản mẫu", default=1)
    issuing_body_superior = models.CharField("tên cơ quan (dòng trên)", max_length=200)
    issuing_body = models.CharField("tên cơ quan (dòng dưới)", max_length=200)
    number = models.CharField("số, ký hiệu", max_length=60, help_text="ví dụ: 298/BC-UBND")
    place = models.CharField("địa danh", max_length=100)
    report_date = models.DateField("ngày ban hành")
    title = models.CharField("tên loại văn bản", max_length=100, default="BÁO CÁO")
    abstract = models.TextField("trích yếu")
    intro = models.TextField("đoạn mở đầu", blank=True)
    closing = models.TextField("đoạn kết", blank=True)
    recipients = models.TextField("nơi nhận (mỗi dòng một nơi)", blank=True)
    signer_authority = models.TextField("thẩm quyền ký (mỗi dòng một dòng: TM., KT., chức vụ)", blank=True)
    signer_name = models.CharField("họ tên người ký", max_length=120, blank=True)
    trace_annex = models.BooleanField("kèm phụ lục nguồn số liệu", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "báo cáo"
        verbose_name_plural = "báo cáo"
        ordering = ["-report_date", "-id"]
        indexes = [models.Index(fields=["unit", "period", "kind"])]

    def __str__(self) -> str:
        return f"Báo cáo số {self.number} ({self.unit_id}, {self.period})"

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    @property
    def authority_lines(self) -> list[str]:
        return [line.strip() for line in self.signer_authority.splitlines() if line.strip()]


class ReportSection(models.Model):
    """One numbered section of a report, with its editable narrative (which may hold placeholders)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField("mã mục", max_length=80)
    order = models.PositiveIntegerField("thứ tự")
    level = models.PositiveSmallIntegerField("cấp đề mục")
    number = models.CharField("số đề mục", max_length=20)
    heading = models.CharField("đề mục", max_length=400)
    provider = models.CharField("bộ cung cấp", max_length=80, blank=True)
    text = models.TextField("nội dung", blank=True)
    edited = models.BooleanField("đã chỉnh sửa", default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "mục báo cáo"
        verbose_name_plural = "mục báo cáo"
        ordering = ["report_id", "order"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="report_section_unique_key")]

    def __str__(self) -> str:
        return f"{self.number} {self.heading}"


def _issued_path(instance: IssuedVersion, filename: str) -> str:
    return f"official_reports/{instance.report_id}/v{instance.version}/{filename}"


class IssuedVersion(models.Model):
    """A generated, kept version of a report: who issued it, when, its files and hashes, and the data it used."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField("phiên bản")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="người tạo")
    issued_at = models.DateTimeField("thời điểm tạo", auto_now_add=True)
    docx = models.FileField(upload_to=_issued_path, max_length=300)
    xlsx = models.FileField(upload_to=_issued_path, max_length=300)
    pdf = models.FileField(upload_to=_issued_path, max_length=300, blank=True)
    docx_sha256 = models.CharField(max_length=64)
    xlsx_sha256 = models.CharField(max_length=64)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    data_snapshot = models.JSONField("số liệu đã dùng", default=list)
    text_snapshot = models.JSONField("nội dung đã dùng", default=dict)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    # Issued while inputs were missing or unapproved (issue 14): the checklist at that moment and the reason given.
    gaps = models.JSONField("số liệu còn thiếu khi phát hành", default=list, blank=True)
    gap_reason = models.CharField("lý do phát hành khi còn thiếu số liệu", max_length=500, blank=True)
    # Publication: a version the issuing office makes readable by anyone, without an account (the
    # seed's "Nơi nhận: Trang thông tin điện tử huyện"). At most one version of a report is public.
    published_at = models.DateTimeField("thời điểm công khai", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="người công khai")
    withdrawn_at = models.DateTimeField("thời điểm gỡ công khai", null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="người gỡ công khai")
    withdrawal_reason = models.CharField("lý do gỡ công khai", max_length=300, blank=True)

    class Meta:
        verbose_name = "phiên bản đã tạo"
        verbose_name_plural = "phiên bản đã tạo"
        ordering = ["report_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="issued_version_unique"),
            models.UniqueConstraint(fields=["report"], condition=models.Q(published_at__isnull=False, withdrawn_at__isnull=True),
                                    name="issued_version_one_public"),
        ]

    def __str__(self) -> str:
        return f"{self.report} – phiên bản {self.version}"

    @property
    def is_public(self) -> bool:
        return self.published_at is not None and self.withdrawn_at is None
