"""The permitted interruptions are seeded from DOMAIN.md and editable data afterwards."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from opencity.core.tests.factories import MunicipalityFactory
from opencity.outages.models import OutageNorm
from opencity.outages.seeds import outage_norms_seed

pytestmark = pytest.mark.django_db


def test_the_norms_of_pp354_are_seeded_per_resource():
    city = MunicipalityFactory()

    outage_norms_seed(municipality=city)

    norms = {n.resource: n for n in OutageNorm.objects.filter(municipality=city)}
    figures = {
        r: (n.max_single_hours, n.max_single_hours_emergency, n.max_month_hours)
        for r, n in norms.items()
    }
    assert figures == {
        "cold_water": (Decimal(4), None, Decimal(8)),
        "hot_water": (Decimal(4), Decimal(24), Decimal(8)),
        "sewage": (Decimal(4), None, Decimal(8)),
        "electricity": (Decimal(2), None, None),
        "gas": (None, None, Decimal(4)),
        "heating": (Decimal(16), None, Decimal(24)),
    }
    assert {n.reduction_percent_per_hour for n in norms.values()} == {Decimal("0.15")}
    assert {(n.notice_amount, n.notice_unit) for n in norms.values()} == {(10, "working_days")}


def test_seeding_twice_changes_nothing_and_the_command_seeds_every_city():
    first, second = MunicipalityFactory(slug="a"), MunicipalityFactory(slug="b")
    outage_norms_seed(municipality=first)
    outage_norms_seed(municipality=first)

    call_command("seed_outage_norms", "--all", stdout=io.StringIO())

    assert OutageNorm.objects.filter(municipality=first).count() == 6
    assert OutageNorm.objects.filter(municipality=second).count() == 6
