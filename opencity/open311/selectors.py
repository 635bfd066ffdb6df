"""Reads of the Open311 adapter's own records, and which city a jurisdiction_id names."""

from __future__ import annotations

from opencity.core.models import Municipality
from opencity.core.tenancy import municipality_for_host, municipality_for_slug
from opencity.open311.models import Submission


def municipality_for_jurisdiction(jurisdiction_id: str) -> Municipality | None:
    """Return the municipality a jurisdiction_id names: its slug, or any of its host names."""
    value = jurisdiction_id.strip().lower()
    if not value:
        return None
    return municipality_for_slug(value) or municipality_for_host(value)


def submission_for_token(*, municipality: Municipality, token: str) -> Submission | None:
    return (
        Submission.objects.filter(municipality=municipality, token=token)
        .select_related("appeal")
        .first()
    )


def submission_get(*, municipality: Municipality, pk: int) -> Submission:
    return Submission.objects.select_related("appeal").get(municipality=municipality, pk=pk)
