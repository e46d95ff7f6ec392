from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models

from xhht.organisations.models import Organisation
from xhht.units.models import Unit


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", "Cán bộ cấp xã"
    ORGANISATION_OFFICER = "organisation_officer", "Cán bộ cơ quan, tổ chức"
    DISTRICT_OFFICER = "district_officer", "Cán bộ cấp huyện (cơ quan thường trực)"
    PROVINCE_OFFICER = "province_officer", "Cán bộ cấp tỉnh"
    ADMINISTRATOR = "administrator", "Quản trị hệ thống"
    VIEWER = "viewer", "Chỉ xem"


# Roles that may change data in their scope; a viewer only reads.
EDITING_ROLES = {Role.COMMUNE_OFFICER, Role.ORGANISATION_OFFICER, Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER, Role.ADMINISTRATOR}
# Roles that approve the reports of the units below them.
APPROVING_ROLES = {Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER, Role.ADMINISTRATOR}


class User(AbstractUser):
    """A person using XHHT, scoped to a unit's subtree (and, for organisation officers, an organisation)."""

    role = models.CharField("vai trò", max_length=30, choices=Role.choices, default=Role.VIEWER)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="users", verbose_name="đơn vị")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users", verbose_name="cơ quan, tổ chức")
    phone = models.CharField("điện thoại", max_length=40, blank=True)
    position = models.CharField("chức vụ", max_length=120, blank=True)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def get_full_name(self) -> str:
        # Vietnamese names are written family name first: "Nông Văn A".
        return f"{self.last_name} {self.first_name}".strip()

    def get_short_name(self) -> str:
        # The greeting ("Chào mừng, …") names the whole person, never a piece of a split name ("GD&ĐT").
        return self.get_full_name() or self.username

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A personal API token (issue 17): the caller acts as its owner, with the owner's rights.

    Only a hash of the secret is kept (sha256 of a ``secrets.token_urlsafe`` string, shown once at creation);
    ``prefix`` (its first characters) names it on the profile page. A token may expire, and is revoked by its owner.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="người dùng")
    name = models.CharField("tên", max_length=100)
    prefix = models.CharField("tiền tố", max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("thời điểm tạo", auto_now_add=True)
    expires_at = models.DateTimeField("hết hạn", null=True, blank=True)
    revoked_at = models.DateTimeField("thời điểm thu hồi", null=True, blank=True)
    last_used_at = models.DateTimeField("lần dùng cuối", null=True, blank=True)

    class Meta:
        verbose_name = "khóa API"
        verbose_name_plural = "khóa API"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_active_at(self, moment: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)
