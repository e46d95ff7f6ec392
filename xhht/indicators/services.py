"""Writing data values. Every change keeps its history and its audit entry, in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from xhht.audit.services import audit_record
from xhht.indicators.models import DataValue, DataValueHistory


def disaggregation_key(parts: Mapping[str, str] | None) -> str:
    """{"sex": "F", "age_band": "15-25"} -> "age_band=15-25;sex=F"; None or {} -> ""."""
    return ";".join(f"{k}={v}" for k, v in sorted((parts or {}).items()))


@dataclass(frozen=True)
class Value:
    element: str
    unit_code: str
    period: str
    value: int | Decimal | None  # None removes the value
    disaggregation: Mapping[str, str] = field(default_factory=dict)


def data_values_write(*, actor: Any, values: Iterable[Value], source: str, rule: str = "") -> int:
    """Write values (insert, update, or delete where value is None); returns how many changed.

    All or nothing: one transaction, with one audit entry per unit and period touched.
    """
    changed = 0
    user = actor if getattr(actor, "is_authenticated", False) else None
    touched: dict[tuple[str, str], dict[str, list[Any]]] = {}
    with transaction.atomic():
        for item in values:
            key = disaggregation_key(item.disaggregation)
            current = DataValue.objects.filter(element=item.element, unit_id=item.unit_code, period=item.period, disaggregation=key).first()
            old = current.value if current else None
            new = None if item.value is None else Decimal(item.value)
            if old == new and (current is None or (current.source == source and current.rule == rule)):
                continue
            if new is None:
                if current is not None:
                    current.delete()
            elif current is None:
                DataValue.objects.create(element=item.element, unit_id=item.unit_code, period=item.period, disaggregation=key,
                                         value=new, source=source, rule=rule, updated_by=user)
            else:
                current.value, current.source, current.rule, current.updated_by = new, source, rule, user
                current.save()
            if old != new:
                DataValueHistory.objects.create(element=item.element, unit_code=item.unit_code, period=item.period, disaggregation=key,
                                                old_value=old, new_value=new, source=source, rule=rule, changed_by=user)
                label = f"{item.element}[{key}]" if key else item.element
                touched.setdefault((item.unit_code, item.period), {})[label] = [None if old is None else str(old), None if new is None else str(new)]
                changed += 1
        for (unit_code, period), changes in touched.items():
            audit_record(actor=actor, action="data_values_write", object_type="indicators.datavalue", object_id=f"{unit_code}/{period}",
                         object_repr=f"Số liệu {unit_code} kỳ {period}", unit_code=unit_code, changes=changes, note=f"{source} {rule}".strip())
    return changed


def projection_set(*, actor: Any, unit_code: str, programme_id: str, indicator_code: str, phase: str, value: Decimal | None) -> int:
    """Enter (or clear, with None) the unit's projection ("dự kiến") of an indicator for a projection phase.

    Stored as a ``source=projected`` value of the indicator's rate element (or count element), for the
    phase's period code, with history and audit like any value. Raises ValueError (Vietnamese) on bad input.
    """
    from xhht.indicators.catalogue import catalogue

    cat = catalogue()
    programme = cat.programmes.get(programme_id)
    if programme is None:
        raise ValueError(f"Không có chương trình «{programme_id}».")
    indicator = programme.indicator(indicator_code)
    if indicator is None:
        raise ValueError(f"Không có chỉ tiêu «{indicator_code}» trong {programme.id}.")
    if phase not in programme.projection_phases:
        raise ValueError(f"Giai đoạn dự kiến «{phase}» không thuộc chương trình (có: {', '.join(programme.projection_phases)}).")
    if value is not None and indicator.projection_element == indicator.rate_element and not (0 <= value <= 100):
        raise ValueError("Tỷ lệ dự kiến phải trong khoảng 0–100.")
    if value is not None and value < 0:
        raise ValueError("Giá trị dự kiến không được âm.")
    return data_values_write(actor=actor, values=[Value(element=indicator.projection_element, unit_code=unit_code, period=phase,
                                                        value=value, disaggregation=indicator.filter_dict)],
                             source="projected", rule=f"Đơn vị nhập dự kiến ({programme.id} {indicator.code})")
