"""The yearly cycle of learning models: registration, self-evaluation, review, recognition.

Rubrics are data (``catalogue/rubrics``); an evaluation stores the code and version of the rubric in
force in its year. Scores are entered per indicator; totals and classes are computed by
:mod:`xhht.learning_models.scoring` and only cached here by the services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xhht.organisations.models import Organisation
from xhht.units.models import Unit


class ModelKind(models.TextChoices):
    FAMILY = "family", "Gia đình học tập"
    CLAN = "clan", "Dòng họ học tập"
    VILLAGE = "village_community", "Cộng đồng học tập (thôn, bản)"
    UNIT = "learning_unit", "Đơn vị học tập"
    COMMUNE = "commune_community", "Cộng đồng học tập cấp xã"


class Participant(models.Model):
    """A family, clan, village, unit or commune that takes part in the movement."""

    kind = models.CharField("loại mô hình", max_length=30, choices=ModelKind.choices)
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="learning_participants", verbose_name="xã")
    name = models.CharField("tên", max_length=200)
    village = models.CharField("thôn, xóm", max_length=120, blank=True)
    head_name = models.CharField("chủ hộ, trưởng họ, người đứng đầu", max_length=120, blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mô hình học tập"
        verbose_name_plural = "mô hình học tập"
        ordering = ["commune_id", "kind", "village", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "commune", "village", "name"], name="lm_participant_unique")]

    def __str__(self) -> str:
        return f"{self.name}{' — ' + self.village if self.village else ''}"


class VillageHouseholds(models.Model):
    """Number of households of a village in a year: the denominator of the registration share."""

    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    village = models.CharField("thôn, xóm", max_length=120)
    year = models.PositiveIntegerField("năm")
    households = models.PositiveIntegerField("số hộ gia đình")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "village", "year"], name="lm_village_households_unique")]


class Registration(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="registrations")
    year = models.PositiveIntegerField("năm")
    registered_on = models.DateField("ngày đăng ký")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "đăng ký"
        constraints = [models.UniqueConstraint(fields=["participant", "year"], name="lm_registration_unique")]


class Status(models.TextChoices):
    DRAFT = "draft", "Đang tự đánh giá"
    SUBMITTED = "submitted", "Đã gửi, chờ thẩm định"
    REVIEWED = "reviewed", "Đã thẩm định"
    RECOGNISED = "recognised", "Đã có quyết định"


class Evaluation(models.Model):
    registration = models.OneToOneField(Registration, on_delete=models.PROTECT, related_name="evaluation")
    rubric_code = models.CharField("bộ tiêu chí", max_length=60)
    rubric_version = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    self_note = models.TextField("ghi chú tự đánh giá", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    review_note = models.TextField("nhận xét thẩm định", blank=True)
    # Cached results of the engine, written only by the services (never typed).
    self_total = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    self_outcome = models.CharField(max_length=30, blank=True)
    total = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    outcome = models.CharField(max_length=30, blank=True)

    class Meta:
        verbose_name = "đánh giá"

    @property
    def participant(self) -> Participant:
        return self.registration.participant

    @property
    def year(self) -> int:
        return self.registration.year


class IndicatorScore(models.Model):
    """One indicator of one evaluation: the self-evaluated value and the reviewer's, with the reason."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    indicator = models.CharField(max_length=40)
    self_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    self_source = models.CharField(max_length=20, default="entered")  # entered | computed
    self_note = models.CharField(max_length=500, blank=True)
    reviewed_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    review_reason = models.CharField("lý do điều chỉnh", max_length=500, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "indicator"], name="lm_indicator_score_unique")]

    @property
    def value(self):  # type: ignore[no-untyped-def]
        return self.reviewed_value if self.reviewed_value is not None else self.self_value


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"learning_models/evidence/{instance.evaluation_id}/{instance.sha256[:16]}.bin"


class Evidence(models.Model):
    """A file attached to an evaluation (stored under a name of our own, served as a download)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="evidence")
    indicator = models.CharField(max_length=40, blank=True)
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class InspectionTeam(models.Model):
    """The district's inspection team of a year (Đoàn kiểm tra), whose members review communes."""

    district = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    decision_number = models.CharField("quyết định thành lập", max_length=60, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="inspection_teams", blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["district", "year"], name="lm_inspection_team_unique")]


class Recognition(models.Model):
    """A recognition (or classification) decision and the list it recognises."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="cấp ra quyết định")
    kind = models.CharField(max_length=30, choices=ModelKind.choices)
    year = models.PositiveIntegerField()
    number = models.CharField("số quyết định", max_length=60)
    decided_on = models.DateField("ngày ký")
    signer = models.CharField("người ký", max_length=120)
    signer_title = models.CharField("chức vụ người ký", max_length=120, blank=True)
    authority = models.CharField("cơ quan ra quyết định", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "number", "year"], name="lm_recognition_unique")]


class RecognitionEntry(models.Model):
    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE, related_name="entries")
    evaluation = models.OneToOneField(Evaluation, on_delete=models.PROTECT, related_name="recognition_entry")
    outcome = models.CharField(max_length=30)
    outcome_label = models.CharField(max_length=120)
