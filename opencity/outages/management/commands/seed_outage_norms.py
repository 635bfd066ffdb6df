from django.core.management.base import BaseCommand, CommandError

from opencity.core.models import Municipality
from opencity.outages.seeds import outage_norms_seed


class Command(BaseCommand):
    help = "Create or update the permitted interruptions per resource (ПП 354) (idempotent)."

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
            count = outage_norms_seed(municipality=municipality)
            self.stdout.write(f"{municipality.slug}: {count} permitted interruptions")
