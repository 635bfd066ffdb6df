"""The admin: municipal admins edit their categories' rules; appeals and the outbox are read."""

import pytest
from django.core import mail
from django.utils import timezone

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals.models import AppealEvent, Category, DeadlinePolicy, EventKind, Stage, Status
from opencity.appeals.tests.factories import AppealFactory, CategoryFactory, DeadlinePolicyFactory
from opencity.core.models import CalendarOverride, OutboxMessage, OutboxStatus
from opencity.core.tests.factories import MunicipalityFactory
from opencity.core.tests.pages import url


@pytest.fixture
def city(db):
    return MunicipalityFactory(slug="adm", name="Admin City", code="ADM")


@pytest.fixture
def other_city(db):
    return MunicipalityFactory(slug="elsewhere", name="Elsewhere", code="ELS")


@pytest.fixture
def admin_client(client, city):
    client.force_login(UserFactory(municipality=city, role=Role.MUNICIPAL_ADMIN, is_staff=True))
    return client


def inline_management(prefix, total, initial):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.django_db
def test_municipal_admin_edits_a_categorys_deadlines(admin_client, city, other_city):
    category = CategoryFactory(municipality=city, name="Roof leak", code="roof-leak")
    policy = DeadlinePolicyFactory(category=category, stage=Stage.RESOLVE, amount=1, unit="days")
    CategoryFactory(municipality=other_city, name="Not mine")

    changelist = admin_client.get(url(city, "admin:appeals_category_changelist")).content.decode()
    assert "Roof leak" in changelist and "Not mine" not in changelist
    page = admin_client.get(
        url(city, "admin:appeals_category_change", category.pk)
    ).content.decode()
    assert 'id="deadlines-group"' in page and 'id="questions-group"' in page

    data = {
        "parent": "",
        "code": "roof-leak",
        "name": "Roof leak",
        "description": "",
        "keywords": "",
        "order": "0",
        "is_active": "on",
        "responsible_kind": "building_manager",
        "resource": "",
        "territory_kind": "",
        "department_area": "",
        "priority": "urgent",
        "needs_building": "on",
        "duplicate_radius_m": "150",
        "auto_close_days": "5",
        "reopen_window_days": "30",
        **inline_management("deadlines", 2, 1),
        "deadlines-0-id": str(policy.pk),
        "deadlines-0-category": str(category.pk),
        "deadlines-0-stage": "resolve",
        "deadlines-0-amount": "2",
        "deadlines-0-unit": "days",
        "deadlines-1-category": str(category.pk),
        "deadlines-1-stage": "respond",
        "deadlines-1-amount": "30",
        "deadlines-1-unit": "minutes",
        "deadlines-1-source": "ПП 416",
        **inline_management("questions", 0, 0),
    }
    response = admin_client.post(url(city, "admin:appeals_category_change", category.pk), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    policies = {p.stage: p for p in DeadlinePolicy.objects.filter(category=category)}
    assert policies["resolve"].amount == 2
    assert (policies["respond"].amount, policies["respond"].municipality) == (30, city)
    category.refresh_from_db()
    assert category.priority == "urgent"


@pytest.mark.django_db
def test_appeal_admin_shows_history_and_keeps_number_and_time(admin_client, city, other_city):
    appeal = AppealFactory(municipality=city, number="ADM-2026-000001")
    AppealEvent.objects.create(
        municipality=city,
        appeal=appeal,
        kind=EventKind.CREATED,
        to_status=Status.REGISTERED,
        comment="Filed on the website",
        created_at=timezone.now(),
    )
    AppealFactory(municipality=other_city, number="ELS-2026-000001")

    changelist = admin_client.get(url(city, "admin:appeals_appeal_changelist")).content.decode()
    assert "ADM-2026-000001" in changelist and "ELS-2026-000001" not in changelist
    page = admin_client.get(url(city, "admin:appeals_appeal_change", appeal.pk)).content.decode()
    assert "Filed on the website" in page
    assert 'name="number"' not in page and 'name="created_at' not in page
    assert 'name="events-0-comment"' not in page  # history is read-only
    assert admin_client.get(url(city, "admin:appeals_appeal_add")).status_code == 403

    event_page = admin_client.get(url(city, "admin:appeals_appealevent_changelist"))
    assert event_page.status_code == 200
    assert "ADM-2026-000001" in event_page.content.decode()
    assert admin_client.get(url(city, "admin:appeals_appealevent_add")).status_code == 403


@pytest.mark.django_db
def test_calendar_days_get_the_admins_municipality(admin_client, city):
    response = admin_client.post(
        url(city, "admin:core_calendaroverride_add"),
        {"date": "2026-08-31", "kind": "holiday", "name": "City Day", "work_day_end": ""},
    )
    assert response.status_code == 302
    assert CalendarOverride.objects.get(name="City Day").municipality == city


@pytest.mark.django_db
def test_outbox_is_read_only_and_retries_on_demand(admin_client, city, other_city):
    dead = OutboxMessage.objects.create(
        municipality=city,
        channel="email",
        address="a@example.org",
        subject="Your appeal",
        dedupe_key="dead-1",
        status=OutboxStatus.DEAD,
        attempts=8,
        next_attempt_at=timezone.now(),
    )
    OutboxMessage.objects.create(
        municipality=other_city,
        channel="email",
        address="b@example.org",
        subject="Theirs",
        dedupe_key="theirs",
        next_attempt_at=timezone.now(),
    )

    html = admin_client.get(url(city, "admin:core_outboxmessage_changelist")).content.decode()
    assert "Your appeal" in html and "Theirs" not in html
    assert admin_client.get(url(city, "admin:core_outboxmessage_add")).status_code == 403
    change = admin_client.get(
        url(city, "admin:core_outboxmessage_change", dead.pk)
    ).content.decode()
    assert 'name="subject"' not in change

    response = admin_client.post(
        url(city, "admin:core_outboxmessage_changelist"),
        {"action": "retry_now", "_selected_action": [str(dead.pk)]},
    )
    assert response.status_code == 302
    dead.refresh_from_db()
    assert dead.status == OutboxStatus.SENT  # the (eager) worker sent it at once
    assert [m.subject for m in mail.outbox] == ["Your appeal"]


@pytest.mark.django_db
def test_category_parent_filter_offers_only_own_categories(admin_client, city, other_city):
    CategoryFactory(municipality=city, name="Housing")
    CategoryFactory(municipality=other_city, name="Foreign parent")
    html = admin_client.get(url(city, "admin:appeals_category_changelist")).content.decode()
    assert "Foreign parent" not in html
    assert Category.objects.count() == 2
