from django.core.management.base import BaseCommand, CommandError

from opencity.core.models import Municipality
from opencity.inspections import selectors, services


class Command(BaseCommand):
    help = (
        "Recompute every building's wear from its latest signed act under a methodology version "
        "(the one in force unless --methodology-version): new history rows, no signed act changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="the municipality's slug")
        parser.add_argument("--methodology-version", dest="methodology_version", type=int)

    def handle(self, *args, municipality, methodology_version, **options):
        city = Municipality.objects.filter(slug=municipality).first()
        if city is None:
            raise CommandError(f"No municipality {municipality!r}.")
        methodology = selectors.methodology_get(municipality=city, version=methodology_version)
        run = services.wear_recompute(methodology=methodology)
        self.stdout.write(
            f"{methodology}: {run.buildings} buildings with a signed act, {run.computed} "
            f"recomputed, {run.skipped} not computable "
            f"({(run.finished_at - run.started_at).total_seconds():.2f} s)"
        )
