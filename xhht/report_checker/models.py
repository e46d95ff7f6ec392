"""A checked report is stored only when the officer accepts figures from it: the file, and each figure
with the statement it was read from, so that the trace of an accepted value ends on the report."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xhht.units.models import Unit


class CheckedReport(models.Model):
    file = models.FileField("tệp báo cáo", upload_to="report_checker/%Y/")
    name = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField("kích thước (byte)")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="checked_reports", verbose_name="đơn vị")
    form_code = models.CharField("biểu báo cáo", max_length=60)
    period = models.CharField("kỳ", max_length=20)
    statements_checked = models.PositiveIntegerField(default=0)
    findings = models.JSONField("phát hiện khi kiểm tra", default=list)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField()

    class Meta:
        verbose_name = "báo cáo đã kiểm tra"
        verbose_name_plural = "báo cáo đã kiểm tra"
        ordering = ["-accepted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit_id}, {self.period})"


class AcceptedFigure(models.Model):
    report = models.ForeignKey(CheckedReport, on_delete=models.PROTECT, related_name="figures")
    element = models.CharField("phần tử dữ liệu", max_length=80)
    disaggregation = models.CharField("phân tổ", max_length=200, blank=True, default="")
    value = models.DecimalField("giá trị", max_digits=20, decimal_places=4)
    label = models.CharField("số liệu", max_length=200)
    where = models.CharField("vị trí", max_length=80)
    statement = models.TextField("câu trong báo cáo")

    class Meta:
        verbose_name = "số liệu nhận từ báo cáo"
        verbose_name_plural = "số liệu nhận từ báo cáo"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.label} = {self.value}"
