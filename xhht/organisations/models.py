from __future__ import annotations

from django.db import models

from xhht.units.models import Unit


class OrganisationKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", "Ủy ban nhân dân"
    EDUCATION_OFFICE = "education_office", "Phòng Giáo dục và Đào tạo"
    EDUCATION_DEPARTMENT = "education_department", "Sở Giáo dục và Đào tạo"
    LABOUR_OFFICE = "labour_office", "Phòng Lao động - Thương binh và Xã hội"
    CULTURE_OFFICE = "culture_office", "Phòng Văn hóa và Thông tin"
    CULTURE_MEDIA_CENTRE = "culture_media_centre", "Trung tâm Văn hóa và Truyền thông"
    HOME_AFFAIRS_OFFICE = "home_affairs_office", "Phòng Nội vụ"
    FINANCE_OFFICE = "finance_office", "Phòng Tài chính - Kế hoạch"
    AGRICULTURE_OFFICE = "agriculture_office", "Phòng Nông nghiệp và PTNT"
    STUDY_PROMOTION_ASSOCIATION = "study_promotion_association", "Hội Khuyến học"
    FATHERLAND_FRONT = "fatherland_front", "Ủy ban Mặt trận Tổ quốc"
    LABOUR_FEDERATION = "labour_federation", "Liên đoàn Lao động"
    YOUTH_UNION = "youth_union", "Đoàn Thanh niên"
    WOMENS_UNION = "womens_union", "Hội Liên hiệp Phụ nữ"
    VETERANS_ASSOCIATION = "veterans_association", "Hội Cựu chiến binh"
    FARMERS_ASSOCIATION = "farmers_association", "Hội Nông dân"
    ELDERLY_ASSOCIATION = "elderly_association", "Hội Người cao tuổi"
    FORMER_TEACHERS_ASSOCIATION = "former_teachers_association", "Hội Cựu giáo chức"
    COMMUNITY_LEARNING_CENTRE = "community_learning_centre", "Trung tâm học tập cộng đồng"
    VOCATIONAL_CONTINUING_CENTRE = "vocational_continuing_centre", "Trung tâm GDNN-GDTX"
    VOCATIONAL_SCHOOL = "vocational_school", "Trường trung cấp nghề"
    SCHOOL = "school", "Trường học"
    ENTERPRISE = "enterprise", "Doanh nghiệp"
    OTHER = "other", "Cơ quan, tổ chức khác"


class Organisation(models.Model):
    """A department, association, school, community learning centre… belonging to a unit."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="organisations", verbose_name="đơn vị hành chính")
    kind = models.CharField("loại", max_length=40, choices=OrganisationKind.choices)
    name = models.CharField("tên", max_length=250)
    short_name = models.CharField("tên viết tắt", max_length=60, blank=True)
    address = models.CharField("địa chỉ", max_length=250, blank=True)
    phone = models.CharField("điện thoại", max_length=40, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    established_on = models.DateField("ngày thành lập", null=True, blank=True)
    dissolved_on = models.DateField("ngày giải thể", null=True, blank=True)

    class Meta:
        verbose_name = "cơ quan, tổ chức"
        verbose_name_plural = "cơ quan, tổ chức"
        ordering = ["unit_id", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="organisation_unique_name_per_unit")]

    def __str__(self) -> str:
        return self.name
