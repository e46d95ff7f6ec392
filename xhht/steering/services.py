"""Writing the documents register and steering committees, audited in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import transaction

from xhht.audit.services import audit_record, diff, snapshot
from xhht.steering.models import CommitteeMember, LegalDocument, SteeringCommittee
from xhht.units.models import Unit


def document_upsert(
    *, actor: Any, unit: Unit | None, kind: str, number: str, issued_on: date, issuer: str, title: str, file: File | None = None
) -> LegalDocument:
    """Create or update ``unit``'s entry for the document identified by its number and date (with its file, if given).

    Only the entry ``unit`` registered itself is ever matched: another unit's entry with the same number
    and date (the same national decision, or an attacker's guess) is left alone and a separate entry is
    created (issue 12, hole 1). Central entries (``unit`` None) are written by administrators and the demo.
    """
    with transaction.atomic():
        document = LegalDocument.objects.select_for_update().filter(unit=unit, number=number, issued_on=issued_on).first()
        before = snapshot(document) if document else {}
        document = document or LegalDocument(number=number, issued_on=issued_on)
        document.unit, document.kind, document.issuer, document.title = unit, kind, issuer, title
        if file is not None:
            document.file.save(Path(file.name or "van-ban").name, file, save=False)
        document.refresh_search_text()
        document.save()
        changes = diff(before, snapshot(document))
        if changes:
            audit_record(actor=actor, action="document_update" if before else "document_create", instance=document,
                         unit_code=unit.code if unit else "", changes=changes)
    return document


def committee_replace(
    *,
    actor: Any,
    unit: Unit,
    name: str,
    established_by: LegalDocument | None,
    last_consolidated_by: LegalDocument | None,
    members: Sequence[dict[str, str]],
) -> SteeringCommittee:
    """Set a unit's steering committee and its member list (as after a consolidation decision)."""
    with transaction.atomic():
        committee = SteeringCommittee.objects.filter(unit=unit, active=True).first()
        before = {"committee": snapshot(committee), "members": [snapshot(m, ["full_name", "position", "job_title", "area"]) for m in committee.members.all()]} if committee else {}
        committee = committee or SteeringCommittee(unit=unit)
        committee.name, committee.established_by, committee.last_consolidated_by = name, established_by, last_consolidated_by
        committee.save()
        committee.members.all().delete()
        CommitteeMember.objects.bulk_create(
            CommitteeMember(committee=committee, order=i, **{k: m.get(k, "") for k in ["full_name", "position", "job_title", "area"]})
            for i, m in enumerate(members, start=1)
        )
        after = {"committee": snapshot(committee), "members": [snapshot(m, ["full_name", "position", "job_title", "area"]) for m in committee.members.all()]}
        changes = diff(before, after)
        if changes:
            audit_record(actor=actor, action="committee_update" if before else "committee_create", instance=committee, unit_code=unit.code, changes=changes)
    return committee
