"""A submission: one report form, filled by one reporting unit or organisation, for one period.

The numbers themselves live in the shared store (``xhht.indicators.DataValue``); the submission
carries the workflow state, the version used for optimistic concurrency, the free-text answers
and the comments that explain warnings. Every transition is kept as a :class:`SubmissionEvent`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xhht.organisations.models import Organisation
from xhht.units.models import Unit


class Status(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    SUBMITTED = "submitted", "Đã nộp, chờ duyệt"
    APPROVED = "approved", "Đã duyệt"
    RETURNED = "returned", "Bị trả lại"


EDITABLE = {Status.DRAFT, Status.RETURNED}


class Submission(models.Model):
    form_code = models.CharField("biểu mẫu", max_length=60)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="report_submissions", verbose_name="đơn vị")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="report_submissions",
                                     verbose_name="cơ quan, tổ chức")
    # "u:05115" or "o:12": one key for either kind of reporter, so uniqueness works on every database.
    reporter_key = models.CharField(max_length=40)
    period = models.CharField("kỳ báo cáo", max_length=20)
    status = models.CharField("trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField("phiên bản", default=0)
    texts = models.JSONField("nội dung văn bản", default=dict, blank=True)
    warning_comments = models.JSONField("giải trình cảnh báo", default=dict, blank=True)
    first_submitted_at = models.DateTimeField("nộp lần đầu", null=True, blank=True)
    submitted_at = models.DateTimeField("nộp lần cuối", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("duyệt / trả lại lúc", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision_comment = models.TextField("ý kiến", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "báo cáo định kỳ"
        verbose_name_plural = "báo cáo định kỳ"
        constraints = [models.UniqueConstraint(fields=["form_code", "reporter_key", "period"], name="submission_unique_reporter_period")]
        indexes = [models.Index(fields=["period", "form_code"]), models.Index(fields=["unit", "period"])]

    def __str__(self) -> str:
        from xhht.reporting.catalogue import get_catalogue

        who = self.organisation.name if self.organisation_id and self.organisation else self.unit.full_name
        form = get_catalogue().forms.get(self.form_code)
        return f"{form.title if form else self.form_code} · {who} · {self.period}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE


class SubmissionEvent(models.Model):
    """One step of a submission's life: saved, submitted, approved, returned, reopened, imported."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    version = models.PositiveIntegerField(default=0)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    ACTION_LABELS = {
        "save": "Lưu bản nháp",
        "import": "Nhập từ tệp Excel",
        "submit": "Nộp báo cáo",
        "approve": "Duyệt",
        "return": "Trả lại",
        "reopen": "Mở lại để sửa",
    }

    @property
    def action_label(self) -> str:
        return self.ACTION_LABELS.get(self.action, self.action)

    @property
    def to_status_label(self) -> str:
        """The state in Vietnamese ("Đã duyệt"), never the stored code ("approved")."""
        return str(Status(self.to_status).label) if self.to_status in Status.values else self.to_status
