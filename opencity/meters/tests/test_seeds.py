"""The meter rules are seeded from DOMAIN.md; the window a municipal admin set is kept."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from opencity.core.tests.factories import MunicipalityFactory
from opencity.meters.models import MeterKindRule, MeterRules, SubmissionWindow
from opencity.meters.seeds import meter_rules_seed

pytestmark = pytest.mark.django_db


def test_the_meter_rules_are_seeded():
    city = MunicipalityFactory()

    meter_rules_seed(municipality=city)

    years = dict(
        MeterKindRule.objects.filter(municipality=city).values_list("kind", "verification_years")
    )
    assert years == {"cold_water": 6, "hot_water": 4, "electricity": 16, "heat": 4, "gas": 10}
    rules = MeterRules.objects.get(municipality=city)
    assert (rules.jump_factor, rules.average_fallback_months) == (Decimal(3), 3)
    window = SubmissionWindow.objects.get(municipality=city, organisation=None)
    assert (window.opens_day, window.closes_day) == (20, 25)


def test_a_second_seed_keeps_the_admins_window():
    city = MunicipalityFactory(slug="kazan")
    meter_rules_seed(municipality=city)
    SubmissionWindow.objects.filter(municipality=city).update(opens_day=15)

    call_command("seed_meter_rules", "--municipality", "kazan", stdout=io.StringIO())

    assert SubmissionWindow.objects.get(municipality=city).opens_day == 15
    assert MeterKindRule.objects.filter(municipality=city).count() == 5
