"""manage.py demo_city: generate the demo municipalities and print the demo logins."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opencity.core.errors import DomainError
from opencity.demo.data import KAZAN, YELABUGA
from opencity.demo.logins import DEMO_LOGINS, demo_logins_table
from opencity.demo.services import (
    DEFAULT_APPEAL_DAYS,
    DEFAULT_METER_MONTHS,
    DEFAULT_SEED,
    DEFAULT_TODAY,
    demo_histories_load,
    demo_load,
)


def _moment(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(KAZAN.time_zone))
    return moment


def _this_hour() -> dt.datetime:
    # Whole hours keep two starts within the same hour identical.
    return timezone.now().replace(minute=0, second=0, microsecond=0)


class Command(BaseCommand):
    help = (
        "Generate the demo city (Kazan, ~6,000 buildings) and a second small municipality "
        "(Yelabuga), deterministic for a given seed, and print the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--buildings",
            type=int,
            default=KAZAN.default_buildings,
            help=f"Buildings in the main city (default {KAZAN.default_buildings}).",
        )
        parser.add_argument(
            "--second-buildings",
            type=int,
            default=YELABUGA.default_buildings,
            help=f"Buildings in the second city (default {YELABUGA.default_buildings}).",
        )
        parser.add_argument(
            "--apartment-buildings",
            type=int,
            default=300,
            help="How many buildings per city get apartments and personal accounts (default 300).",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed.")
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=DEFAULT_TODAY,
            help=f"Reference date for ages and contracts, YYYY-MM-DD (default {DEFAULT_TODAY}).",
        )
        parser.add_argument(
            "--with-second",
            dest="second",
            action="store_true",
            default=True,
            help="Also generate the second municipality (the default).",
        )
        parser.add_argument(
            "--no-second",
            dest="second",
            action="store_false",
            help="Generate the main city only.",
        )
        parser.add_argument(
            "--appeal-days",
            type=int,
            default=DEFAULT_APPEAL_DAYS,
            help=(
                "Days of demo appeals (~1,000 a day in the main city; default "
                f"{DEFAULT_APPEAL_DAYS}; 365 for a full year; 0 for none)."
            ),
        )
        parser.add_argument(
            "--appeals-until",
            type=_moment,
            default=None,
            help=(
                "The moment the demo appeals end, YYYY-MM-DD[THH:MM] in the city's time "
                "(default: now, so open appeals have live clocks)."
            ),
        )
        parser.add_argument(
            "--meter-months",
            type=int,
            default=DEFAULT_METER_MONTHS,
            help=(
                "Months of meter readings in the first apartment buildings (default "
                f"{DEFAULT_METER_MONTHS}; 0 for no meters)."
            ),
        )
        parser.add_argument(
            "--no-outages",
            dest="outages",
            action="store_false",
            default=True,
            help="Generate no outages.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Leave a demo municipality that already exists as it is (safe on every start).",
        )
        parser.add_argument(
            "--defer-history",
            action="store_true",
            help=(
                "Write the city now and only plan its appeals: `--load-history` (which "
                "`opencity up` starts in the background) writes them while the site serves."
            ),
        )
        parser.add_argument(
            "--load-history",
            action="store_true",
            help=(
                "Only write the appeals of the demo cities whose history is still loading, "
                "resuming where a stopped load stopped, and exit."
            ),
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo municipalities and all their data first.",
        )

    def handle(self, *args, **options):
        if options["appeal_days"] < 0:
            raise CommandError("--appeal-days cannot be negative.")
        if options["meter_months"] < 0:
            raise CommandError("--meter-months cannot be negative.")
        if options["buildings"] < 0 or options["second_buildings"] < 0:
            raise CommandError("Building counts cannot be negative.")
        cities = [KAZAN, YELABUGA] if options["second"] else [KAZAN]
        verbose = options["verbosity"] >= 1
        started = time.monotonic()

        def progress(message: str) -> None:
            if verbose:
                self.stdout.write(f"[{time.monotonic() - started:5.1f} s] {message}")
                self.stdout.flush()

        if options["load_history"]:
            loaded = demo_histories_load(progress=progress)
            if verbose and loaded:
                self.stdout.write(
                    self.style.SUCCESS(f"Demo history loaded in {time.monotonic() - started:.1f} s")
                )
            return

        try:
            reports = demo_load(
                cities=cities,
                seed=options["seed"],
                buildings={
                    KAZAN.slug: options["buildings"],
                    YELABUGA.slug: options["second_buildings"],
                },
                today=options["today"],
                apartment_buildings=options["apartment_buildings"],
                appeal_days=options["appeal_days"],
                appeals_until=options["appeals_until"] or _this_hour(),
                meter_months=options["meter_months"],
                outages=options["outages"],
                reset=options["reset"],
                if_empty=options["if_empty"],
                defer_history=options["defer_history"],
                progress=progress,
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        if not verbose:
            return
        created = [r for r in reports if r.status == "created"]
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data ready in {time.monotonic() - started:.1f} s: "
                    + ", ".join(f"{r.slug} ({r.counts['buildings']} buildings)" for r in created)
                )
            )
        if options["defer_history"] and options["appeal_days"] > 0 and created:
            self.stdout.write(
                f"The {options['appeal_days']} days of appeals load in the background once "
                "`opencity up` serves (or now: `opencity demo --load-history`); the home "
                "page shows how far they got."
            )
        slugs = {city.slug for city in cities}
        logins = [
            item for item in DEMO_LOGINS if not item.municipality or item.municipality in slugs
        ]
        self.stdout.write("\nDemo logins (all share one password):\n")
        self.stdout.write(demo_logins_table(logins, first_slug=KAZAN.slug))
        self.stdout.write(
            "\nThe first municipality is the default one; others answer under /m/<slug>/."
        )
