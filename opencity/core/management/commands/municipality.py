"""Set up a city: `municipality create ...` (with its rules seeded) and `municipality list`."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.http.request import validate_host

from opencity.core.errors import Invalid
from opencity.core.geo import boundary_bounds, boundary_from_box, boundary_parse
from opencity.core.management.seeding import municipality_seed
from opencity.core.models import Municipality
from opencity.core.services import municipality_create

# The option that sets each field of municipality_create, to name it in an error.
OPTION_OF = {
    "name": "--name",
    "slug": "--slug",
    "code": "--code",
    "hosts": "--host",
    "centre": "--centre",
    "boundary": "--extent/--boundary",
    "time_zone": "--time-zone",
    "languages": "--languages",
    "country": "--country",
    "region": "--region",
}


def _numbers(option: str, value: str, count: int) -> list[float]:
    try:
        numbers = [float(part) for part in value.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) != count:
        shape = "LAT,LON" if count == 2 else "SOUTH,WEST,NORTH,EAST"
        raise CommandError(
            f"{option} {value!r}: expected {shape} in degrees, e.g. "
            + ("56.838,60.605" if count == 2 else "56.70,60.40,56.98,60.80")
        )
    return numbers


def _extent(value: str) -> dict:
    south, west, north, east = _numbers("--extent", value, 4)
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        raise CommandError(
            f"--extent {value!r}: expected SOUTH,WEST,NORTH,EAST with south < north and "
            "west < east (latitudes first, as in --centre)."
        )
    return boundary_from_box(south=south, west=west, north=north, east=east)


def _boundary(value: str) -> dict:
    path = Path(value)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"--boundary {value}: cannot be read ({exc.strerror or exc}).") from exc
    except ValueError as exc:
        raise CommandError(f"--boundary {value}: not a GeoJSON file ({exc}).") from exc
    try:
        return boundary_parse(data)
    except ValueError as exc:
        raise CommandError(
            f"--boundary {value}: {exc}. Expected a GeoJSON Polygon or MultiPolygon (a Feature "
            "or a FeatureCollection of them) in longitude, latitude."
        ) from exc


class Command(BaseCommand):
    help = "Create a municipality with its rules seeded, or list the municipalities."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser(
            "create",
            help="create a municipality and seed its categories, calendar, outage norms, meter rules",
            description="Create a municipality and seed its categories and deadlines, working "
            "calendar, permitted interruptions and meter rules, in one transaction.",
        )
        create.add_argument("--name", required=True, help="e.g. Екатеринбург")
        create.add_argument("--slug", required=True, help="in URLs (/m/<slug>/), e.g. ekb")
        create.add_argument(
            "--code", default="", help="prefix of appeal numbers (default: from the slug, e.g. EKB)"
        )
        create.add_argument(
            "--host",
            action="append",
            default=[],
            help="a host name served as this municipality; repeat or separate by commas",
        )
        create.add_argument(
            "--centre", "--center", help="map centre LAT,LON (default: inside the extent)"
        )
        where = create.add_mutually_exclusive_group()
        where.add_argument(
            "--extent", help="SOUTH,WEST,NORTH,EAST in degrees: where its buildings stand"
        )
        where.add_argument(
            "--boundary", help="a GeoJSON file of the city's (or its districts') polygons"
        )
        create.add_argument("--time-zone", required=True, help="IANA name, e.g. Asia/Yekaterinburg")
        create.add_argument(
            "--languages",
            default="",
            help="codes offered, the default first (default: all, LANGUAGE_CODE first)",
        )
        create.add_argument(
            "--country", default="RU", help="ISO 3166 code for national holidays (default RU)"
        )
        create.add_argument(
            "--region", default="", help="ISO 3166-2 subdivision for regional holidays, e.g. TA"
        )
        create.add_argument("--zoom", type=int, default=11, help="the map's zoom (default 11)")
        create.add_argument("--name-genitive", default="", help="e.g. Екатеринбурга (для …)")
        create.add_argument("--name-prepositional", default="", help="e.g. Екатеринбурге (в …)")
        sub.add_parser("list", help="list the municipalities")

    def handle(self, *args, **options):
        if options["action"] == "list":
            return self._list()
        return self._create(options)

    def _create(self, options) -> None:
        centre = tuple(_numbers("--centre", options["centre"], 2)) if options["centre"] else None
        boundary = None
        if options["extent"]:
            boundary = _extent(options["extent"])
        elif options["boundary"]:
            boundary = _boundary(options["boundary"])
        hosts = [h for value in options["host"] for h in value.split(",")]
        languages = [code.strip() for code in options["languages"].split(",") if code.strip()]
        try:
            with transaction.atomic():
                municipality = municipality_create(
                    name=options["name"],
                    slug=options["slug"],
                    code=options["code"],
                    hosts=hosts,
                    centre=centre,
                    boundary=boundary,
                    time_zone=options["time_zone"],
                    languages=languages,
                    country=options["country"],
                    region=options["region"],
                    name_genitive=options["name_genitive"],
                    name_prepositional=options["name_prepositional"],
                    default_zoom=options["zoom"],
                )
                seeded = municipality_seed(municipality=municipality)
        except Invalid as exc:
            lines = [exc.message]
            for field, messages in exc.errors.items():
                lines += [f"  {OPTION_OF.get(field, field)}: {message}" for message in messages]
            raise CommandError("\n".join(lines)) from exc
        out = self.stdout
        out.write(
            self.style.SUCCESS(
                f"Created {municipality.name}: slug {municipality.slug}, appeal numbers "
                f"{municipality.code}-…, time zone {municipality.time_zone}, centre "
                f"{municipality.center_lat},{municipality.center_lon}."
            )
        )
        for command, count, counted in seeded:
            out.write(f"  {command}: {count} {counted}")
        out.write("Next:")
        for host in municipality.host_list:
            if not validate_host(host, settings.ALLOWED_HOSTS):
                out.write(
                    f"  - add {host} to ALLOWED_HOSTS (and https://{host} to "
                    "CSRF_TRUSTED_ORIGINS), then restart the server;"
                )
        if not municipality.host_list:
            out.write(f"  - it is served at /m/{municipality.slug}/ (add host names in the admin);")
        out.write(
            f"  - import its buildings: opencity import-buildings FILE --municipality "
            f"{municipality.slug};\n"
            "  - give it a municipal admin in the admin (/admin/): a user of this municipality "
            "with the role 'municipal admin' and 'admin site access'."
        )

    def _list(self) -> None:
        municipalities = list(Municipality.objects.order_by("id"))
        if not municipalities:
            self.stdout.write("No municipality yet: opencity municipality create --help")
            return
        for m in municipalities:
            if m.boundary:
                south, west, north, east = boundary_bounds(m.boundary)
                extent = f"{south:.4f},{west:.4f},{north:.4f},{east:.4f}"
            else:
                extent = "(none: districts or 50 km around the centre)"
            state = "" if m.is_active else " [inactive]"
            self.stdout.write(
                f"{m.slug}\t{m.code}\t{m.name}{state}\n"
                f"\thosts: {', '.join(m.host_list) or f'/m/{m.slug}/ only'}\n"
                f"\ttime zone: {m.time_zone}; languages: {m.languages or 'all'}; "
                f"region: {m.country}{'-' + m.subdivision if m.subdivision else ''}\n"
                f"\tcentre: {m.center_lat},{m.center_lon}; extent: {extent}"
            )
