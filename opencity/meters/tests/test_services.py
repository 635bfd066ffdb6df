"""A resident's reading in the window, a meter's replacement, and the reminders."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.buildings.models import PersonalAccount
from opencity.buildings.services import account_holder_link
from opencity.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from opencity.core.models import OutboxMessage
from opencity.core.outbox import outbox_deliver_due
from opencity.meters import services
from opencity.meters.models import MeterReading, ReadingSource, SubmissionWindow
from opencity.meters.tests.factories import MeterFactory, MeterReadingFactory, history
from opencity.notifications.models import Notification
from opencity.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")


def msk(text):
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=MSK)


IN_WINDOW = msk("2025-07-22 12:00")  # the default window: the 20th to the 25th


@pytest.fixture
def home(mw):
    """Return a resident with a linked account and a water meter read monthly at 10 m³."""
    apartment = mw.apartment()
    PersonalAccount.objects.create(municipality=mw.city, apartment=apartment, number="555")
    resident = UserFactory(municipality=mw.city, email="alsu@example.org")
    account_holder_link(user=resident, number="555", apartment_number=apartment.number)
    meter = MeterFactory(
        municipality=mw.city,
        apartment=apartment,
        building=mw.building,
        provider=mw.water,
        install_date=dt.date(2024, 12, 10),
        initial_value1=Decimal(90),
    )
    history(meter, start=dt.date(2025, 1, 1), values=[100, 110, 120, 130, 140, 150])
    return resident, meter


def submit(home, *values, now=IN_WINDOW, **kw):
    resident, meter = home
    return services.reading_submit(meter=meter, user=resident, values=tuple(values), now=now, **kw)


def test_a_reading_in_the_window_is_recorded_for_its_month(home):
    reading = submit(home, "160,5")

    assert reading.period == dt.date(2025, 7, 1)
    assert reading.value1 == Decimal("160.5") and reading.consumption == Decimal("10.5")
    assert reading.source == ReadingSource.RESIDENT and reading.submitted_by == home[0]


@pytest.mark.parametrize(
    "moment", [msk("2025-07-19 23:59"), msk("2025-07-26 00:00")], ids=["before", "after"]
)
def test_outside_the_window_the_resident_is_told_when_it_opens(home, moment):
    with pytest.raises(Invalid, match="taken from"):
        submit(home, "160", now=moment)

    assert not MeterReading.objects.filter(period__gte=dt.date(2025, 7, 1)).exists()


def test_a_providers_own_window_applies_to_its_meters(mw, home):
    SubmissionWindow.objects.create(
        municipality=mw.city, organisation=mw.water, opens_day=15, closes_day=18
    )

    with pytest.raises(Invalid):
        submit(home, "160")
    assert submit(home, "160", now=msk("2025-07-16 09:00")).period == dt.date(2025, 7, 1)


def test_below_the_previous_reading_is_refused_unless_it_rolled_over(home):
    with pytest.raises(Invalid) as error:
        submit(home, "149")

    assert "value_t1" in error.value.errors
    assert "150.000" in error.value.message


def test_an_implausible_jump_asks_for_confirmation_then_is_flagged(home):
    with pytest.raises(services.ReadingNeedsConfirmation):
        submit(home, "250")
    assert not MeterReading.objects.filter(period=dt.date(2025, 7, 1)).exists()

    reading = submit(home, "250", confirmed=True)

    assert reading.implausible and reading.reviewed_at is None


def test_the_resident_corrects_their_reading_while_the_window_is_open(home):
    submit(home, "165")

    corrected = submit(home, "161")

    assert MeterReading.objects.filter(period=dt.date(2025, 7, 1)).count() == 1
    assert corrected.value1 == Decimal("161") and corrected.consumption == Decimal("11")


def test_a_providers_reading_for_the_month_is_not_overwritten(home):
    resident, meter = home
    MeterReadingFactory(meter=meter, period=dt.date(2025, 7, 1), value1=160, source="import")

    with pytest.raises(Conflict):
        submit(home, "161")


def test_only_the_holder_of_the_apartment_submits(mw, home):
    _resident, meter = home
    stranger = UserFactory(municipality=mw.city)

    with pytest.raises(NotFound):
        services.reading_submit(meter=meter, user=stranger, values=("160",), now=IN_WINDOW)


def test_verification_overdue_is_recorded_with_the_reading(home):
    _resident, meter = home
    meter.verified_on = dt.date(2018, 1, 1)
    meter.save()

    assert submit(home, "160").verification_overdue


def test_a_replaced_meter_counts_from_the_new_ones_start(mw, home):
    resident, meter = home
    manager = MembershipFactory(organisation=mw.water, user__role=Role.ORG_MANAGER).user

    new = services.meter_replace(
        meter=meter,
        actor=manager,
        serial_number="NEW-1",
        install_date=dt.date(2025, 7, 3),
        initial_values=(Decimal("0.5"),),
    )
    reading = services.reading_submit(meter=new, user=resident, values=("3",), now=IN_WINDOW)

    meter.refresh_from_db()
    assert not meter.is_active and new.replaces == meter
    assert reading.consumption == Decimal("2.5")  # from 0.5, not below the old 150
    with pytest.raises(PermissionDenied):
        services.meter_replace(
            meter=new,
            actor=UserFactory(municipality=mw.city, role=Role.ORG_MANAGER),
            serial_number="X",
            install_date=dt.date(2025, 7, 3),
        )


def test_reminders_go_once_to_those_who_have_not_submitted(mw, home, settings):
    resident, meter = home
    neighbour_apartment = mw.apartment()
    PersonalAccount.objects.create(
        municipality=mw.city, apartment=neighbour_apartment, number="556"
    )
    neighbour = UserFactory(municipality=mw.city)
    account_holder_link(user=neighbour, number="556", apartment_number=neighbour_apartment.number)
    done_meter = MeterFactory(
        municipality=mw.city, apartment=neighbour_apartment, building=mw.building
    )
    MeterReadingFactory(meter=done_meter, period=dt.date(2025, 7, 1))

    early = services.meters_remind(now=msk("2025-07-21 10:00"))  # four days before the close
    first = services.meters_remind(now=msk("2025-07-24 10:00"))
    again = services.meters_remind(now=msk("2025-07-24 11:00"))
    outbox_deliver_due()

    assert (early, first, again) == (0, 1, 0)
    notes = Notification.objects.filter(kind="meters_reminder")
    assert list(notes.values_list("user_id", flat=True)) == [resident.pk]
    assert "25" in notes.get().title
    assert [m.to for m in mail.outbox] == [["alsu@example.org"]]


def test_a_reminder_says_what_to_do_and_links_to_the_meters_page_absolutely(mw, home, settings):
    settings.SITE_URL = "https://opencity.example.org"
    mw.city.hosts = ""
    mw.city.save()
    resident, _meter = home
    assert services.meters_remind(now=msk("2025-07-24 10:00")) == 1
    note = Notification.objects.get(kind="meters_reminder", user=resident)
    base = f"https://opencity.example.org/m/{mw.city.slug}/"
    assert note.url == base + reverse("meters:mine").lstrip("/")
    assert "Submit them on your meters page before the window closes." in note.body
    message = OutboxMessage.objects.get(recipient=resident, channel="email")
    assert f"Open the page: {note.url}" in message.body
