"""What every seed command shares: pick the municipalities (one by slug, or --all), seed each."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from opencity.core.models import Municipality


class SeedCommand(BaseCommand):
    """A command that runs `seed(municipality=...)` (returning a count) for the chosen ones."""

    seed: Callable[..., int]
    counted: str = "rows"  # what the count is of, for the report

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--municipality", help="slug of the municipality")
        group.add_argument("--all", action="store_true", help="every municipality")

    def handle(self, *args, **options):
        if options["all"]:
            municipalities = list(Municipality.objects.all())
        else:
            municipalities = list(Municipality.objects.filter(slug=options["municipality"]))
            if not municipalities:
                raise CommandError(f"No municipality with slug {options['municipality']!r}")
        for municipality in municipalities:
            count = self.seed(municipality=municipality)
            self.stdout.write(f"{municipality.slug}: {count} {self.counted}")
