"""Overdue inspections escalate like overdue appeals (appeals/services/sweeps.py): the sweep marks
an open inspection past its due moment once — its company's managers are told — and, still open
one working day later, escalates it once — the municipal admins, the managers' superiors, are
told. Set-based and idempotent: the marks (overdue_at, escalation_level) say what was told, and a
second run at the same moment changes nothing and notifies no one.

See docs/subsystems/inspections.md, "Overdue inspections".
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opencity.accounts.models import Role
from opencity.core.calendar import TimeUnit, calendar_load
from opencity.core.models import Municipality
from opencity.inspections.events import inspection_event_build
from opencity.inspections.models import Inspection, InspectionEvent, InspectionEventKind
from opencity.inspections.selectors.plans import inspection_list_overdue
from opencity.notifications.services import NotificationDraft, notify_many
from opencity.organisations.selectors import organisation_manager_ids

BATCH_SIZE = 500
# An overdue inspection still open this long after its due moment is escalated.
ESCALATION_GRACE_WORKING_DAYS = 1


def _due_moment(inspection: Inspection, calendar) -> dt.datetime:
    """The due moment: due_at, or the end of the due day in the city's zone."""
    if inspection.due_at is not None:
        return inspection.due_at
    next_day = inspection.due_date + dt.timedelta(days=1)
    return dt.datetime.combine(next_day, dt.time(0, 0), tzinfo=calendar.tz)


def _progress_url(organisation_id: int | None) -> str:
    url = reverse("inspections:progress")
    return f"{url}?company={organisation_id}" if organisation_id else url


def _drafts(inspections: list[Inspection], users_of, level: int) -> list[NotificationDraft]:
    """One notification per person per company for this batch (not one per inspection)."""
    by_company: dict[int | None, list[Inspection]] = defaultdict(list)
    for inspection in inspections:
        by_company[inspection.organisation_id].append(inspection)
    drafts = []
    for company_id, mine in by_company.items():
        ids = ",".join(str(i.pk) for i in mine)
        digest = hashlib.sha1(ids.encode()).hexdigest()[:16]
        company = mine[0].organisation
        if level == 1:
            title = ngettext(
                "%(count)d inspection is overdue", "%(count)d inspections are overdue", len(mine)
            ) % {"count": len(mine)}
            todo = _("Inspect them now, or assign an inspector who will.")
        else:
            title = ngettext(
                "%(count)d inspection of %(company)s is escalated: still overdue",
                "%(count)d inspections of %(company)s are escalated: still overdue",
                len(mine),
            ) % {"count": len(mine), "company": company}
            todo = _("They are escalated to you: see that the company inspects them today.")
        where = ", ".join(
            f"{i.building} ({i.get_kind_display()}, {i.due_date:%d.%m.%Y})" for i in mine[:5]
        )
        more = len(mine) - 5
        body = f"{where}{' …' if more > 0 else ''}\n\n{todo}"
        for user_id in users_of(mine[0]):
            drafts.append(
                NotificationDraft(
                    user_id=user_id,
                    kind="inspection_overdue" if level == 1 else "inspection_escalated",
                    title=title,
                    body=body,
                    url=_progress_url(company_id),
                    dedupe_key=f"inspections-overdue:L{level}:{company_id}:{digest}:{user_id}",
                )
            )
    return drafts


def _batch(queryset) -> list[Inspection]:
    ids = list(
        queryset.order_by("pk")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:BATCH_SIZE]
    )
    return list(
        Inspection.objects.filter(pk__in=ids)
        .select_related("building", "organisation")
        .order_by("organisation_id", "due_date", "pk")
    )


def _managers(inspection: Inspection) -> list[int]:
    if inspection.organisation_id is None:
        return []
    return organisation_manager_ids(organisation_id=inspection.organisation_id)


def _mark_overdue(municipality: Municipality, now: dt.datetime) -> int:
    calendar = calendar_load(municipality=municipality)
    newly = inspection_list_overdue(
        inspections=Inspection.objects.filter(municipality=municipality, overdue_at__isnull=True),
        now=now,
        time_zone=municipality.time_zone,
    )
    total = 0
    while True:
        with transaction.atomic():
            inspections = _batch(newly)
            if not inspections:
                return total
            groups: dict[dt.datetime, list[int]] = defaultdict(list)
            for inspection in inspections:
                escalate_at = calendar.add(
                    max(_due_moment(inspection, calendar), now),
                    ESCALATION_GRACE_WORKING_DAYS,
                    TimeUnit.WORKING_DAYS,
                )
                groups[escalate_at].append(inspection.pk)
            for escalate_at, pks in groups.items():
                Inspection.objects.filter(pk__in=pks).update(
                    overdue_at=now, escalation_level=1, escalate_at=escalate_at
                )
            InspectionEvent.objects.bulk_create(
                [
                    inspection_event_build(
                        inspection=i, kind=InspectionEventKind.OVERDUE, level=1, at=now
                    )
                    for i in inspections
                ]
            )
            notify_many(drafts=_drafts(inspections, _managers, 1))
            total += len(inspections)


def _escalate(municipality: Municipality, now: dt.datetime) -> int:
    admins = list(
        get_user_model()
        .objects.filter(municipality=municipality, role=Role.MUNICIPAL_ADMIN, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    due = inspection_list_overdue(
        inspections=Inspection.objects.filter(
            municipality=municipality, escalation_level=1, escalate_at__lte=now
        ),
        now=now,
        time_zone=municipality.time_zone,
    )
    total = 0
    while True:
        with transaction.atomic():
            inspections = _batch(due)
            if not inspections:
                return total
            Inspection.objects.filter(pk__in=[i.pk for i in inspections]).update(escalation_level=2)
            InspectionEvent.objects.bulk_create(
                [
                    inspection_event_build(
                        inspection=i, kind=InspectionEventKind.ESCALATED, level=2, at=now
                    )
                    for i in inspections
                ]
            )
            notify_many(drafts=_drafts(inspections, lambda _i: admins, 2))
            total += len(inspections)


def inspections_mark_overdue(*, now: dt.datetime | None = None) -> int:
    """Mark newly overdue inspections and escalate long-overdue ones; return how many changed."""
    now = now or timezone.now()
    changed = 0
    for municipality in Municipality.objects.filter(
        pk__in=Inspection.objects.values("municipality_id")
    ):
        changed += _mark_overdue(municipality, now) + _escalate(municipality, now)
    return changed
