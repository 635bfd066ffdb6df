"""Writes of the wear methodology: a new draft version copied from another, and putting a draft
in force. A version in force is frozen: acts point at it, so it never changes under them.

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.core.errors import Conflict, Invalid
from opencity.inspections.models import (
    BuildingType,
    Element,
    Methodology,
    MethodologyStatus,
    WearGrade,
)


def methodology_ensure_draft(*, methodology: Methodology) -> None:
    """Refuse a change to a version that is in force or superseded."""
    if methodology.is_frozen:
        raise Conflict(
            _(
                "Version %(version)s is in force or superseded and cannot change: create a new version."
            )
            % {"version": methodology.version}
        )


def methodology_ensure_published(*, methodology: Methodology) -> None:
    """Refuse a draft where only a version that has been in force will do (a recompute)."""
    if not methodology.is_frozen:
        raise Conflict(
            _("Version %(version)s is a draft: put it in force before computing with it.")
            % {"version": methodology.version}
        )


def _copy(row, **changes):
    row.pk = None
    row.id = None
    for name, value in changes.items():
        setattr(row, name, value)
    row.save(force_insert=True)
    return row


@transaction.atomic
def methodology_version_create(*, methodology: Methodology, notes: str = "") -> Methodology:
    """Copy a version with everything under it into a new draft with the next number."""
    latest = Methodology.objects.filter(
        municipality=methodology.municipality, code=methodology.code
    ).aggregate(Max("version"))["version__max"]
    source_id = methodology.pk
    draft = _copy(
        Methodology.objects.get(pk=source_id),
        version=latest + 1,
        status=MethodologyStatus.DRAFT,
        published_at=None,
        based_on_id=source_id,
        notes=notes,
    )
    elements = {}
    for element in Element.objects.filter(methodology_id=source_id).prefetch_related(
        "bands__signs"
    ):
        bands = list(element.bands.all())
        old_id = element.pk
        elements[old_id] = _copy(element, methodology=draft)
        for band in bands:
            signs = list(band.signs.all())
            new_band = _copy(band, element=elements[old_id])
            for sign in signs:
                _copy(sign, band=new_band)
    for building_type in BuildingType.objects.filter(methodology_id=source_id).prefetch_related(
        "shares__members"
    ):
        shares = list(building_type.shares.all())
        new_type = _copy(building_type, methodology=draft)
        for share in shares:
            members = list(share.members.all())
            new_share = _copy(share, building_type=new_type)
            for member in members:
                _copy(member, share=new_share, element=elements[member.element_id])
    for grade in WearGrade.objects.filter(methodology_id=source_id):
        _copy(grade, methodology=draft)
    return draft


def methodology_problems(*, methodology: Methodology) -> list[str]:
    """What keeps a version from coming into force: shares not summing to 100 %, bands that
    overlap, sign codes repeated inside one element, a share without elements."""
    problems = []
    for building_type in methodology.building_types.prefetch_related("shares__members"):
        shares = list(building_type.shares.all())
        total = sum((share.percent for share in shares), Decimal(0))
        if total != 100:
            problems.append(
                _("The shares of “%(type)s” sum to %(total)s %%, not 100 %%.")
                % {"type": building_type.name, "total": total}
            )
        for share in shares:
            if not share.members.all():
                problems.append(
                    _("The share “%(share)s” of “%(type)s” covers no element.")
                    % {"share": share.name, "type": building_type.name}
                )
    for element in methodology.elements.prefetch_related("bands__signs"):
        bands = sorted(element.bands.all(), key=lambda b: b.lower)
        for before, after in zip(bands, bands[1:], strict=False):
            if after.lower <= before.upper:
                problems.append(
                    _("The bands of “%(element)s” overlap.") % {"element": element.name}
                )
                break
        codes = Counter(sign.code for band in bands for sign in band.signs.all())
        repeated = sorted(code for code, n in codes.items() if n > 1)
        if repeated:
            problems.append(
                _("The sign code “%(code)s” is used twice in “%(element)s”.")
                % {"code": repeated[0], "element": element.name}
            )
    return problems


@transaction.atomic
def methodology_publish(*, methodology: Methodology) -> Methodology:
    """Put a draft in force; the version in force until now is superseded (and stays as it is)."""
    methodology = Methodology.objects.select_for_update().get(pk=methodology.pk)
    methodology_ensure_draft(methodology=methodology)
    problems = methodology_problems(methodology=methodology)
    if problems:
        raise Invalid(_("This version cannot come into force yet."), errors={"__all__": problems})
    Methodology.objects.filter(
        municipality=methodology.municipality,
        code=methodology.code,
        status=MethodologyStatus.PUBLISHED,
    ).update(status=MethodologyStatus.RETIRED)
    methodology.status = MethodologyStatus.PUBLISHED
    methodology.published_at = timezone.now()
    methodology.save(update_fields=["status", "published_at"])
    return methodology
