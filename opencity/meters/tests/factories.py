import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from opencity.buildings.tests.factories import ApartmentFactory
from opencity.meters import rules
from opencity.meters.models import Meter, MeterKind, MeterReading, ReadingSource


class MeterFactory(factory.django.DjangoModelFactory):
    """A cold-water meter of an apartment, verified last year."""

    class Meta:
        model = Meter

    apartment = factory.SubFactory(ApartmentFactory)
    building = factory.SelfAttribute("apartment.building")
    municipality = factory.SelfAttribute("apartment.municipality")
    kind = MeterKind.COLD_WATER
    zones = 1
    serial_number = factory.Sequence(lambda n: f"SN{n:08d}")
    model = "СВК-15"
    install_date = dt.date(2020, 1, 15)
    verified_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365))
    verification_years = 6
    digits = 5


class MeterReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeterReading

    meter = factory.SubFactory(MeterFactory)
    municipality = factory.SelfAttribute("meter.municipality")
    period = dt.date(2025, 1, 1)
    value1 = Decimal("100")
    taken_at = factory.LazyFunction(timezone.now)
    source = ReadingSource.RESIDENT


def history(meter, *, start: dt.date, values: list, avg_months: int = 6) -> list[MeterReading]:
    """Write monthly readings from `start` with consumptions and running averages as the rules do."""
    readings = []
    previous = None
    period = start
    for value in values:
        value = Decimal(str(value))
        evaluation = rules.reading_evaluate(
            meter=rules.MeterFacts(
                zones=1,
                digits=meter.digits,
                initial=(meter.initial_value1, meter.initial_value2, meter.initial_value3),
                install_date=meter.install_date,
                verified_on=meter.verified_on,
                verification_years=meter.verification_years,
            ),
            period=period,
            values=(value, None, None),
            rollover=False,
            previous=previous,
            existing=None,
            later_period=None,
            limits=rules.Limits(Decimal(3), avg_months, 2),
            today=timezone.localdate(),
        )
        assert evaluation.ok, evaluation.error
        readings.append(
            MeterReadingFactory(
                meter=meter,
                period=period,
                value1=value,
                consumption=evaluation.consumption,
                avg_consumption=evaluation.avg,
                months_counted=evaluation.months,
            )
        )
        previous = rules.Previous((value, None, None), period, evaluation.avg, evaluation.months)
        period = rules.add_months(period, 1)
    return readings


def this_month(mw) -> dt.date:
    """Return the first day of the month now in the meter world's city."""
    return timezone.now().astimezone(ZoneInfo(mw.city.time_zone)).date().replace(day=1)
