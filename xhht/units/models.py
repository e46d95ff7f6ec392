from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Q


class UnitKind(models.TextChoices):
    PROVINCE = "province", "tỉnh"
    CITY = "city", "thành phố trực thuộc TW"
    DISTRICT = "district", "huyện"
    TOWN_DISTRICT = "town_district", "thị xã"
    URBAN_DISTRICT = "urban_district", "quận"
    PROVINCIAL_CITY = "provincial_city", "thành phố thuộc tỉnh"
    COMMUNE = "commune", "xã"
    WARD = "ward", "phường"
    TOWNSHIP = "township", "thị trấn"
    VILLAGE = "village", "thôn, xóm, bản, tổ dân phố"


# Level in the hierarchy: 1 province, 2 district, 3 commune, 4 village.
LEVEL = {
    UnitKind.PROVINCE: 1,
    UnitKind.CITY: 1,
    UnitKind.DISTRICT: 2,
    UnitKind.TOWN_DISTRICT: 2,
    UnitKind.URBAN_DISTRICT: 2,
    UnitKind.PROVINCIAL_CITY: 2,
    UnitKind.COMMUNE: 3,
    UnitKind.WARD: 3,
    UnitKind.TOWNSHIP: 3,
    UnitKind.VILLAGE: 4,
}
COMMUNE_LEVEL_KINDS = [UnitKind.COMMUNE, UnitKind.WARD, UnitKind.TOWNSHIP]

# The prefix a unit's name takes in running text: "huyện Hòa An", "thị trấn Nước Hai".
PREFIX = {
    UnitKind.PROVINCE: "tỉnh",
    UnitKind.CITY: "thành phố",
    UnitKind.DISTRICT: "huyện",
    UnitKind.TOWN_DISTRICT: "thị xã",
    UnitKind.URBAN_DISTRICT: "quận",
    UnitKind.PROVINCIAL_CITY: "thành phố",
    UnitKind.COMMUNE: "xã",
    UnitKind.WARD: "phường",
    UnitKind.TOWNSHIP: "thị trấn",
    UnitKind.VILLAGE: "thôn",
}


class Unit(models.Model):
    """An administrative unit, identified by its stable (GSO) code.

    The attributes here are those of its latest version; the history (renames, re-parenting,
    dissolution, as in the July 2025 reform) is kept in :class:`UnitVersion`, which the
    "as of a date" lookups read.
    """

    code = models.CharField("mã", max_length=20, primary_key=True)
    name = models.CharField("tên", max_length=200)
    kind = models.CharField("loại", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="current_children", verbose_name="đơn vị cấp trên")
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    special_difficulty = models.BooleanField("xã đặc biệt khó khăn", default=False)

    class Meta:
        verbose_name = "đơn vị hành chính"
        verbose_name_plural = "đơn vị hành chính"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def level(self) -> int:
        return LEVEL[UnitKind(self.kind)]

    @property
    def full_name(self) -> str:
        """ "huyện Hòa An" """
        return f"{PREFIX[UnitKind(self.kind)]} {self.name}"

    @property
    def title_name(self) -> str:
        """ "Huyện Hòa An" (at the start of a sentence or a heading)."""
        full = self.full_name
        return full[:1].upper() + full[1:]

    @property
    def is_commune_level(self) -> bool:
        return self.kind in COMMUNE_LEVEL_KINDS

    def exists_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)


class UnitVersion(models.Model):
    """A unit as it was over a span of time: its name, kind, parent and difficulty flag.

    ``valid_to`` is the last day the version holds (inclusive); empty means "still so".
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField("tên", max_length=200)
    kind = models.CharField("loại", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="child_versions")
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    special_difficulty = models.BooleanField("xã đặc biệt khó khăn", default=False)

    class Meta:
        verbose_name = "phiên bản đơn vị"
        verbose_name_plural = "phiên bản đơn vị"
        ordering = ["unit_id", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["unit", "valid_from"], name="unit_version_unique_start", nulls_distinct=False)]
        indexes = [models.Index(fields=["parent", "valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.name} ({self.valid_from or '…'} – {self.valid_to or '…'})"

    @staticmethod
    def valid_on(on: date) -> Q:
        return (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class UnitClosure(models.Model):
    """The ancestor (closure) table of the versioned tree: ``ancestor`` is ``depth`` levels above ``descendant``
    from ``valid_from`` to ``valid_to`` (inclusive; empty = open), ``depth`` 0 being the unit itself.

    Derived from :class:`UnitVersion` by :func:`xhht.units.services.unit_closure_rebuild`, which every write of the
    tree calls; never written otherwise. Roll-ups join it to find a unit's children or ancestors as of a date.
    """

    ancestor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    descendant = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    depth = models.PositiveSmallIntegerField()
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["ancestor", "depth"]), models.Index(fields=["descendant", "depth"])]

    @staticmethod
    def valid_on(on: date) -> Q:
        return (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class UnitChange(models.Model):
    """One (resulting unit, source) pair of a reorganisation (format 4), as imported.

    All changes of one ``effective_date`` form one reorganisation. ``source`` passes to ``unit`` from
    ``effective_date``: whole, or only ``villages`` (names as in the survey); ``share`` is the part of its
    figures kept without villages that passes. A row without source only renames, re-parents or creates;
    ``end`` marks a unit that ceases to exist (its last day is ``effective_date`` − 1).
    """

    effective_date = models.DateField("ngày hiệu lực")
    basis = models.CharField("căn cứ pháp lý", max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="changes_in", verbose_name="đơn vị sau thay đổi")
    source = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="changes_out", verbose_name="đơn vị nguồn")
    villages = models.JSONField("các thôn chuyển", default=list, blank=True)
    share = models.DecimalField("tỷ lệ chuyển", max_digits=12, decimal_places=10, null=True, blank=True)
    end = models.BooleanField("chấm dứt", default=False)
    name = models.CharField("tên", max_length=200, blank=True)
    kind = models.CharField("loại", max_length=20, choices=UnitKind.choices, blank=True)
    parent_code = models.CharField("mã cấp trên", max_length=20, blank=True)
    special_difficulty = models.BooleanField("xã đặc biệt khó khăn", null=True, blank=True)
    note = models.CharField("ghi chú", max_length=200, blank=True)
    row = models.PositiveIntegerField("dòng trong tệp", default=0)

    class Meta:
        verbose_name = "thay đổi địa giới"
        verbose_name_plural = "thay đổi địa giới"
        ordering = ["effective_date", "row", "id"]
        indexes = [models.Index(fields=["effective_date"])]

    def __str__(self) -> str:
        source = f" ← {self.source_id}" if self.source_id else ""
        return f"{self.effective_date} {self.unit_id}{source} ({self.basis})"

    @property
    def passed_share(self) -> Decimal:
        return self.share if self.share is not None else Decimal(1)
