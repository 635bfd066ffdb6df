"""manage.py rebuild_analytics --municipality SLUG: recompute the rollups from the appeals."""

import time

from django.core.management.base import BaseCommand, CommandError

from opencity.analytics.services import rollups_rebuild
from opencity.core.models import Municipality


class Command(BaseCommand):
    help = "Recompute a municipality's analytics rollups from its appeals (or --all)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--municipality", metavar="SLUG")
        group.add_argument("--all", action="store_true")

    def handle(self, *args, **options):
        if options["all"]:
            municipalities = list(Municipality.objects.order_by("slug"))
        else:
            municipalities = list(Municipality.objects.filter(slug=options["municipality"]))
            if not municipalities:
                raise CommandError(f"No municipality {options['municipality']!r}.")
        for municipality in municipalities:
            started = time.monotonic()
            count = rollups_rebuild(municipality=municipality)
            if options["verbosity"] >= 1:
                self.stdout.write(
                    f"{municipality.slug}: {count} appeals in {time.monotonic() - started:.1f} s"
                )
