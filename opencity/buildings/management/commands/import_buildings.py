"""Import a building registry file: `import_buildings FILE --municipality SLUG`."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from opencity.buildings.imports import ImportFileError, building_import
from opencity.core.models import Municipality


class Command(BaseCommand):
    help = "Import buildings from CSV or XLSX (our own format or the Реформа ЖКХ open data export)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--municipality", required=True, help="municipality slug")
        parser.add_argument("--format", default="auto", choices=["auto", "own", "reforma"])
        parser.add_argument("--dry-run", action="store_true", help="check and count, save nothing")
        parser.add_argument(
            "--max-errors", type=int, default=200, help="how many problems to print (0: all)"
        )

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality with slug {options['municipality']!r}.")
        err = self.stderr
        tty = hasattr(sys.stderr, "isatty") and sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            line = f"  {done:,} / {total:,} rows"
            if tty:
                err.write(f"\r{line}", ending="")
                err.flush()
            else:
                err.write(line)

        try:
            result = building_import(
                municipality=municipality,
                source=options["file"],
                fmt=options["format"],
                dry_run=options["dry_run"],
                progress=progress,
            )
        except ImportFileError as exc:
            raise CommandError(exc.message) from exc
        if tty:
            err.write("")
        if result.ignored_columns:
            self.stdout.write(
                f"Columns not part of the {result.format} format, ignored: "
                + ", ".join(result.ignored_columns)
            )
        limit = options["max_errors"] or len(result.errors)
        if result.errors:
            self.stdout.write("Problems (row, field: reason):")
            for issue in result.errors[:limit]:
                verdict = "row skipped" if issue.fatal else "value dropped"
                value = f" [{issue.value}]" if issue.value else ""
                self.stdout.write(
                    f"  row {issue.row}, {issue.field or '-'}: {issue.reason}{value} ({verdict})"
                )
            if len(result.errors) > limit:
                self.stdout.write(f"  ... and {len(result.errors) - limit} more")
        self.stdout.write("Written set-based." if result.method == "set" else "Written row by row.")
        prefix = "Dry run, nothing saved: " if result.dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{result.total} rows ({result.format} format): "
                f"{result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged, {result.failed} failed; "
                f"{len(result.warnings)} values dropped."
            )
        )
