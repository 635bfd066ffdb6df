"""Writes that every app shares."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from opencity.core.errors import Invalid
from opencity.core.geo import boundary_bounds
from opencity.core.models import Municipality, WorkerHeartbeat
from opencity.core.validators import languages_validate, time_zone_validate


def worker_heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    """Note that a worker ran a task just now."""
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"seen_at": timezone.now()}
    )
    return heartbeat


# Municipalities ----------------------------------------------------------------------------

HOST_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$"
)
SLUG_RE = re.compile(r"^[a-z0-9][-a-z0-9_]*$")  # what the /m/<slug>/ prefix accepts
CODE_RE = re.compile(r"^[A-Z0-9]{2,8}$")


def municipality_geometry_errors(
    *, centre: tuple[float, float] | None, boundary: dict | None
) -> dict[str, list[str]]:
    """Say what is wrong with a centre and a boundary together (empty when both are usable)."""
    errors: dict[str, list[str]] = {}
    if centre is not None:
        lat, lon = centre
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors["centre"] = [_("The centre must be latitude,longitude in degrees.")]
        elif boundary is not None:
            south, west, north, east = boundary_bounds(boundary)
            if not (south <= lat <= north and west <= lon <= east):
                errors["centre"] = [
                    _(
                        "The centre %(lat)s,%(lon)s is outside the extent "
                        "%(south)s,%(west)s,%(north)s,%(east)s (south,west,north,east): "
                        "latitude and longitude may be swapped."
                    )
                    % {
                        "lat": lat,
                        "lon": lon,
                        "south": round(south, 4),
                        "west": round(west, 4),
                        "north": round(north, 4),
                        "east": round(east, 4),
                    }
                ]
    return errors


def _code_from_slug(slug: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", slug.upper())[:3]


@transaction.atomic
def municipality_create(
    *,
    name: str,
    slug: str,
    time_zone: str,
    code: str = "",
    hosts: Sequence[str] = (),
    centre: tuple[float, float] | None = None,
    boundary: dict | None = None,
    languages: Sequence[str] = (),
    country: str = "RU",
    region: str = "",
    name_genitive: str = "",
    name_prepositional: str = "",
    default_zoom: int = 11,
) -> Municipality:
    """Create a municipality after checking every value; each problem is named by its field."""
    errors: dict[str, list[str]] = {}
    name, slug = name.strip(), slug.strip().lower()
    code = (code.strip() or _code_from_slug(slug)).upper()
    if not name:
        errors["name"] = [_("The name is required.")]
    if not SLUG_RE.match(slug) or len(slug) > 50:
        errors["slug"] = [_("The slug may have only Latin letters, digits, '-' and '_'.")]
    elif (taken := Municipality.objects.filter(slug=slug).first()) is not None:
        errors["slug"] = [
            _(
                "A municipality with the slug %(slug)s already exists (%(name)s): choose "
                "another slug, or change that municipality in the admin."
            )
            % {"slug": slug, "name": taken.name}
        ]
    if not CODE_RE.match(code):
        errors["code"] = [_("The code must be 2 to 8 Latin capital letters or digits, e.g. EKB.")]
    elif (taken := Municipality.objects.filter(code=code).first()) is not None:
        errors["code"] = [
            _("The code %(code)s is taken by %(name)s: give another one.")
            % {"code": code, "name": taken.name}
        ]
    host_list = [h.strip().lower() for h in hosts if h.strip()]
    claimed = {h: m for m in Municipality.objects.all() for h in m.host_list}
    for host in host_list:
        if not HOST_RE.match(host):
            errors.setdefault("hosts", []).append(
                _("%(host)s is not a host name (e.g. ekb.example.org).") % {"host": host}
            )
        elif host in claimed:
            errors.setdefault("hosts", []).append(
                _("%(host)s is already served as %(name)s.")
                % {"host": host, "name": claimed[host].name}
            )
    if centre is None and boundary is None:
        errors["centre"] = [_("Give the centre, or an extent or a boundary to take it from.")]
    errors.update(municipality_geometry_errors(centre=centre, boundary=boundary))
    for field, value, validate in (
        ("time_zone", time_zone, time_zone_validate),
        ("languages", ",".join(languages), languages_validate),
    ):
        try:
            validate(value)
        except ValidationError as exc:
            errors[field] = list(exc.messages)
    if not re.match(r"^[A-Za-z]{2}$", country):
        errors["country"] = [_("The country is a two-letter ISO 3166 code, e.g. RU.")]
    if region and not re.match(r"^[A-Za-z0-9]{1,8}$", region):
        errors["region"] = [_("The region is an ISO 3166-2 subdivision code, e.g. TA.")]
    if errors:
        raise Invalid(_("The municipality was not created."), errors=errors)
    if centre is None:
        point = shape(boundary).representative_point()  # inside, even for a crescent-shaped city
        centre = (round(point.y, 6), round(point.x, 6))
    return Municipality.objects.create(
        name=name,
        slug=slug,
        code=code,
        hosts="\n".join(host_list),
        time_zone=time_zone,
        center_lat=centre[0],
        center_lon=centre[1],
        boundary=boundary,
        languages=",".join(code.lower() for code in languages),
        country=country.upper(),
        subdivision=region.upper(),
        name_genitive=name_genitive.strip(),
        name_prepositional=name_prepositional.strip(),
        default_zoom=default_zoom,
    )
