from __future__ import annotations

from django.conf import settings
from django.db import models

from xhht.units.models import Unit


class Source(models.TextChoices):
    ENTERED = "entered", "nhập trên web"
    IMPORTED = "imported", "nhập từ tệp"
    COMPUTED = "computed", "tính từ dữ liệu"
    PROJECTED = "projected", "dự kiến"


class DataValue(models.Model):
    """One value of a data element for a unit, a period and a disaggregation.

    Data elements are defined in the catalogue files (``xhht/indicators/catalogue/``), so the
    element is its code here. ``disaggregation`` is a canonical key such as ``""`` (total) or
    ``"age_band=15-25;sex=F"`` (keys sorted). Values are exact decimals: counts, money, points.
    """

    element = models.CharField("phần tử dữ liệu", max_length=80)
    # No index of its own: the (unit, period) index below serves lookups by unit (a bulk write maintains two fewer indexes).
    # No foreign key constraint in the database either (nor on ``updated_by``): PostgreSQL checks one row at a time, at
    # the commit, about 9 s of a million-value import. data_values_write_counted refuses a unit that does not exist,
    # once per write, the writer is the signed-in user, and units and users are never deleted (PROTECT, kept in Django).
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="data_values", db_index=False, db_constraint=False)
    period = models.CharField("kỳ", max_length=20)
    disaggregation = models.CharField("phân tổ", max_length=200, blank=True, default="")
    value = models.DecimalField("giá trị", max_digits=20, decimal_places=4)
    source = models.CharField("nguồn", max_length=20, choices=Source.choices)
    rule = models.CharField("quy tắc, tệp nguồn", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   db_constraint=False)

    class Meta:
        verbose_name = "giá trị dữ liệu"
        verbose_name_plural = "giá trị dữ liệu"
        constraints = [models.UniqueConstraint(fields=["element", "unit", "period", "disaggregation"], name="data_value_unique")]
        indexes = [models.Index(fields=["element", "period"]), models.Index(fields=["unit", "period"])]

    def __str__(self) -> str:
        return f"{self.element} {self.unit_id} {self.period} {self.disaggregation} = {self.value}"


class DataValueHistory(models.Model):
    """Every earlier value of a data value, kept when it changes or is removed."""

    element = models.CharField(max_length=80)
    unit_code = models.CharField(max_length=20)
    period = models.CharField(max_length=20)
    disaggregation = models.CharField(max_length=200, blank=True, default="")
    old_value = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    new_value = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    source = models.CharField(max_length=20)
    rule = models.CharField(max_length=200, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)
    # No foreign key constraint in the database: see DataValue.unit.
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   db_constraint=False)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["element", "unit_code", "period"])]


class DataRollup(models.Model):
    """An element's figure at a unit for a period, summed up the tree (the rule of :mod:`xhht.indicators.selectors`):
    the unit's own stored value, else the sum of its children's roll-ups under the tree as of ``period_end``;
    ``None`` when nothing below holds a value. Kept current by :func:`xhht.indicators.services.rollups_refresh`
    in the transaction of every write, so a unit's figure is one row and its children's are one row each.
    Only for summed elements (``aggregation: sum``) and actual values (projections are never summed).
    """

    element = models.CharField(max_length=80)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False)  # (unit, period) below
    period = models.CharField(max_length=20)
    period_end = models.DateField()
    disaggregation = models.CharField(max_length=200, blank=True, default="")
    value = models.DecimalField(max_digits=24, decimal_places=4, null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["element", "unit", "period", "disaggregation"], name="data_rollup_unique")]
        indexes = [models.Index(fields=["unit", "period"])]
