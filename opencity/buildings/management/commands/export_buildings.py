"""Export a municipality's buildings: `export_buildings --municipality SLUG --format csv -o FILE`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from opencity.buildings.exports import EXPORT_FORMATS, building_export
from opencity.core.models import District, Municipality


class Command(BaseCommand):
    help = "Export buildings in the opencity format (CSV or XLSX), which import reads back."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="municipality slug")
        parser.add_argument("--format", default="csv", choices=EXPORT_FORMATS)
        parser.add_argument("--district", default="", help="district slug (default: all)")
        parser.add_argument("-o", "--output", required=True, help="file to write")

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality with slug {options['municipality']!r}.")
        district = None
        if options["district"]:
            district = District.objects.filter(
                municipality=municipality, slug=options["district"]
            ).first()
            if district is None:
                raise CommandError(f"No district {options['district']!r} in {municipality}.")
        try:
            with open(options["output"], "wb") as out:
                building_export(
                    municipality=municipality, out=out, fmt=options["format"], district=district
                )
        except OSError as exc:
            raise CommandError(f"Cannot write {options['output']}: {exc.strerror}") from exc
        self.stdout.write(self.style.SUCCESS(f"Wrote {options['output']}."))
