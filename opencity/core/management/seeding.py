"""What every seed command shares: pick the municipalities (one by slug, or --all), seed each."""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.core.management import get_commands, load_command_class
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


def seed_commands() -> list[SeedCommand]:
    """Return every app's seed command, in the order of INSTALLED_APPS (core needs none above it)."""
    order = {config.name: n for n, config in enumerate(apps.get_app_configs())}
    found = []
    for name, app in get_commands().items():
        if not name.startswith("seed_") or app not in order:
            continue
        command = load_command_class(app, name)
        if isinstance(command, SeedCommand):
            found.append((order[app], name, command))
    return [command for _order, _name, command in sorted(found, key=lambda f: f[:2])]


def municipality_seed(*, municipality: Municipality) -> list[tuple[str, int, str]]:
    """Seed a municipality with every app's rules; return (command, count, what) per seed."""
    return [
        (
            command.__module__.rsplit(".", 1)[-1],
            command.seed(municipality=municipality),
            command.counted,
        )
        for command in seed_commands()
    ]
