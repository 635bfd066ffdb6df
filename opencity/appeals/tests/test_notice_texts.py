"""Every message of an appeal explains itself and links absolutely to its own city.

An e-mail or SMS is read far from the site: a relative link (/appeals/mine/…) leads nowhere,
and "Appeal KZN-…: Accepted" with nothing else says neither what happened nor what to do.
Each kind of notification is written here through the real services, in the app, by e-mail and
by SMS, and every link in it must start with the municipality's own host (or its /m/<slug>/
prefix on the installation's address), and its text must say what happened and what next.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone, translation

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals import services
from opencity.appeals.models import Appeal, Channel, Stage
from opencity.appeals.services.sweeps import _breach_drafts
from opencity.appeals.services.texts import appeal_status_text
from opencity.appeals.tests.factories import CategoryFactory, DeadlinePolicyFactory
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.calendar import TimeUnit
from opencity.core.models import OutboxMessage
from opencity.core.tests.factories import MunicipalityFactory
from opencity.notifications.models import Notification, NotificationPreference
from opencity.notifications.services import notify_many
from opencity.organisations.models import MembershipRole
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

URL = re.compile(r"""(?:https?://|/)[^\s"'<>)]+""")

# What each kind of message must say (what happened, what to do), one sentence per case.
EXPECTED = [
    ("appeal_registered", "we will write when it is accepted"),
    ("appeal_routed", "Accept it and assign an executor"),
    ("appeal_status", "УК Уют has accepted the appeal and will work on it"),
    ("appeal_status", "It is to be resolved by"),
    ("appeal_assigned", "You are assigned to the appeal: Roof leak"),
    ("appeal_status", "УК Уют has started the work on the appeal"),
    ("appeal_question", "Which floor?"),
    ("appeal_question", "Answer it on the appeal's page"),
    ("appeal_answered", "The fifth."),
    ("appeal_answered", "The appeal is back in work"),
    ("appeal_confirm", "The roof is patched."),
    ("appeal_confirm", "confirm that it is fixed or reject the report"),
    ("appeal_status", "The author of the appeal is asked to confirm it"),
    ("appeal_reopened", "It still drips."),
    ("appeal_reopened", "do the work again"),
    ("appeal_status", "The appeal is cancelled and will not be worked on"),
    ("appeal_status", "A duplicate call."),
    ("appeal_status", "You now follow that appeal"),
    ("appeal_status", "If the problem remains, file a new appeal"),
    ("appeal_status", "The appeal has passed moderation"),
    ("appeal_due_soon", "Act on the appeal before the deadline passes"),
    ("appeal_overdue", "The deadline has passed: act on the appeal now"),
    ("appeal_escalated", "see that it is acted on today"),
]


class City:
    def __init__(self, *, slug, hosts):
        self.city = MunicipalityFactory(slug=slug, code=slug[:3].upper(), hosts=hosts)
        self.company = OrganisationFactory(municipality=self.city, short_name="УК Уют")
        self.building = ManagedBuildingFactory(
            municipality=self.city, street="ул. Баумана", house_number="12", manager=self.company
        )
        self.category = CategoryFactory(municipality=self.city, name="Roof leak")
        self.moderated = CategoryFactory(municipality=self.city, name="Graffiti", moderated=True)
        for category in (self.category, self.moderated):
            DeadlinePolicyFactory(
                category=category, stage=Stage.RESOLVE, amount=3, unit=TimeUnit.DAYS
            )

        def staff(role, membership):
            return MembershipFactory(
                organisation=self.company,
                role=membership,
                user__role=role,
                user__municipality=self.city,
                user__email=f"{membership}@{slug}.example.org",
            ).user

        self.manager = staff(Role.ORG_MANAGER, MembershipRole.MANAGER)
        self.executor = staff(Role.ORG_EXECUTOR, MembershipRole.EXECUTOR)
        self.dispatcher = UserFactory(municipality=self.city, role=Role.DISPATCHER)
        self.author = UserFactory(
            municipality=self.city,
            email=f"author@{slug}.example.org",
            phone="+79170000001",
            phone_confirmed=True,
        )
        NotificationPreference.objects.create(
            municipality=self.city, user=self.author, email=True, sms=True
        )
        self.supporter = UserFactory(municipality=self.city, email=f"fan@{slug}.example.org")

    def file(self, category=None) -> Appeal:
        return services.appeal_create(
            municipality=self.city,
            category=category or self.category,
            description="Water drips from the ceiling.",
            channel=Channel.WEB,
            author=self.author,
            building=self.building,
        )


def live(city: City) -> None:
    """Walk the appeals through every kind of message."""
    appeal = city.file()
    services.appeal_support(appeal=appeal, user=city.supporter)
    services.appeal_accept(appeal=appeal, actor=city.manager)
    services.appeal_assign(appeal=appeal, actor=city.manager, executor=city.executor)
    services.appeal_start(appeal=appeal, actor=city.executor)
    services.appeal_ask(appeal=appeal, actor=city.executor, question="Which floor?")
    services.appeal_answer(appeal=appeal, actor=city.author, answer="The fifth.")
    services.appeal_resolve(appeal=appeal, actor=city.executor, resolution="The roof is patched.")
    services.appeal_reject(appeal=appeal, actor=city.author, reason="It still drips.")
    appeal.refresh_from_db()
    for level in (0, 1, 2):
        notify_many(drafts=_breach_drafts(appeal, level, [city.manager]))

    cancelled = city.file()
    services.appeal_cancel(appeal=cancelled, actor=city.dispatcher, reason="A duplicate call.")
    merged = city.file()
    services.appeal_merge(appeal=merged, actor=city.dispatcher, into=appeal)
    closing = city.file()
    services.appeal_accept(appeal=closing, actor=city.manager)
    services.appeal_resolve(appeal=closing, actor=city.manager, resolution="Done.")
    Appeal.objects.filter(pk=closing.pk).update(
        resolved_at=timezone.now() - dt.timedelta(days=60), auto_close_at=None
    )
    services.appeals_auto_close()
    moderated = city.file(city.moderated)
    services.appeal_moderate(appeal=moderated, actor=city.dispatcher, approve=True)


@pytest.fixture
def cities(settings):
    settings.SITE_URL = "https://opencity.example.org"
    settings.ALLOWED_HOSTS = ["opencity.example.org", "kazan.example.org"]
    # Kazan has its own host name; Yelabuga is served under its prefix on the installation's.
    kazan = City(slug="kazan", hosts="kazan.example.org")
    yelabuga = City(slug="yelabuga", hosts="")
    return {
        "https://kazan.example.org/": kazan,
        "https://opencity.example.org/m/yelabuga/": yelabuga,
    }


def test_every_message_links_absolutely_to_its_city_and_says_what_to_do(cities):
    for city in cities.values():
        live(city)

    for base, city in cities.items():
        notifications = list(Notification.objects.filter(municipality=city.city))
        texts = {}
        for n in notifications:
            assert n.url.startswith(base), (n.kind, n.url)
            texts.setdefault(n.kind, []).append(n.body)
        for kind, sentence in EXPECTED:
            assert any(sentence in body for body in texts.get(kind, [])), (kind, sentence, texts)

        messages = list(OutboxMessage.objects.filter(municipality_id=city.city.pk))
        assert {m.channel for m in messages} == {"email", "sms"}
        for message in messages:
            links = URL.findall(message.body)
            assert links, (message.channel, message.body)
            for link in links:
                assert link.startswith(base), (message.channel, link, message.body)
        mails = [m for m in messages if m.channel == "email"]
        for mail in mails:
            assert f"{base}notifications/settings/" in mail.body
            assert mail.subject and mail.subject in mail.body


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("ru", "УК Уют приняла обращение в работу."),
        ("en", "УК Уют has accepted the appeal and will work on it."),
        ("tt", "УК Уют мөрәҗәгатьне эшкә алды."),
    ],
)
def test_the_texts_are_in_each_language(language, sentence):
    city = City(slug="kazan", hosts="")
    appeal = city.file()
    services.appeal_accept(appeal=appeal, actor=city.manager)
    appeal.refresh_from_db()
    with translation.override(language):
        text = appeal_status_text(appeal=appeal)
    assert sentence in text
