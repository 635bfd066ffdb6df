"""The demo history (the year of appeals) loads after the city: resumable, and the same rows."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from opencity.accounts.models import User
from opencity.appeals.models import Appeal, AppealEvent, AppealNumberCounter
from opencity.core.models import Municipality
from opencity.demo.appeals.generator import AppealsGenerator
from opencity.demo.data import YELABUGA
from opencity.demo.models import DemoHistory
from opencity.demo.selectors import demo_history_forget
from opencity.demo.services import (
    demo_city_create,
    demo_city_delete,
    demo_histories_load,
)
from opencity.organisations.models import Organisation

UNTIL = dt.datetime(2025, 6, 1, 15, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def _city(*, defer_history: bool):
    demo_city_create(
        spec=YELABUGA,
        seed=4,
        buildings=60,
        apartment_buildings=4,
        password_hash="!",
        appeal_days=6,
        appeals_until=UNTIL,
        defer_history=defer_history,
    )
    return Municipality.objects.get(slug=YELABUGA.slug)


def _dump(municipality):
    appeals = sorted(
        Appeal.objects.filter(municipality=municipality).values_list(
            "id",
            "number",
            "status",
            "category__code",
            "building__address",
            "created_at",
            "deadline_at",
            "author__username",
            "executor__username",
            "organisation__name",
            "description",
        )
    )
    # Params name organisations and users by key: those keys change when a city is rewritten.
    organisations = dict(Organisation.objects.values_list("id", "name"))
    users = dict(User.objects.values_list("id", "username"))
    names = {
        "organisation_id": organisations,
        "to_organisation": organisations,
        "from_organisation": organisations,
        "executor": users,
        "previous": users,
    }
    events = sorted(
        (*row[:-2], {k: names.get(k, {}).get(v, v) for k, v in row[-2].items()}, row[-1])
        for row in AppealEvent.objects.filter(municipality=municipality).values_list(
            "id",
            "appeal__number",
            "kind",
            "to_status",
            "comment",
            "actor__username",
            "params",
            "created_at",
        )
    )
    counters = sorted(
        AppealNumberCounter.objects.filter(municipality=municipality).values_list(
            "year", "last_value"
        )
    )
    return appeals, events, counters


class _Stop(Exception):
    pass


def _load_stopping_after(days, monkeypatch):
    """Load the pending histories, stopped (as by Ctrl-C) after `days` days are written."""
    write = AppealsGenerator._write
    calls = []

    def stopping_write(self, *args, **kwargs):
        if len(calls) == days:
            raise _Stop
        calls.append(1)
        return write(self, *args, **kwargs)

    monkeypatch.setattr(AppealsGenerator, "_write", stopping_write)
    with pytest.raises(_Stop):
        demo_histories_load()
    monkeypatch.setattr(AppealsGenerator, "_write", write)


@pytest.mark.django_db(transaction=True)
def test_a_deferred_history_stopped_and_resumed_gives_the_generators_rows(monkeypatch):
    # given the city written with its history at once, as the generator always did
    at_once = _dump(_city(defer_history=False))
    assert at_once[0] and at_once[1]
    demo_city_delete(slug=YELABUGA.slug)

    # when the city is written first and its history later, stopped after three days
    municipality = _city(defer_history=True)
    assert not Appeal.objects.filter(municipality=municipality).exists()
    history = DemoHistory.objects.get(municipality=municipality)
    assert (history.days_done, history.days, history.is_finished) == (0, 6, False)
    _load_stopping_after(3, monkeypatch)
    history.refresh_from_db()
    assert history.days_done == 3 and not history.is_finished
    assert 0 < Appeal.objects.filter(municipality=municipality).count() < len(at_once[0])

    # and then resumed
    assert demo_histories_load() == 1

    # then the rows are those of the uninterrupted run, and nothing is left to load
    assert _dump(municipality) == at_once
    history.refresh_from_db()
    assert history.is_finished and history.days_done == 6
    assert history.appeals == len(at_once[0]) and history.events == len(at_once[1])
    assert demo_histories_load() == 0


@pytest.mark.django_db
def test_every_page_says_how_far_the_history_got_while_it_loads(client, monkeypatch):
    # given a demo city whose history has loaded two days of six
    _city(defer_history=True)
    _load_stopping_after(2, monkeypatch)
    demo_history_forget()
    # when a resident opens the home page, in Russian or in English
    russian = client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    client.cookies.clear()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # then it says how far the history got
    assert 'data-testid="demo-history"' in russian
    assert "Загружается история демо-города: 2 из 6 дней" in russian
    assert "Loading the demo city's history: 2 of 6 days" in english

    # and once the history is loaded the line is gone
    demo_histories_load()
    demo_history_forget()
    assert 'data-testid="demo-history"' not in client.get("/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_up_starts_the_history_loader_only_while_a_history_is_unfinished():
    from opencity import cli

    # given no demo history: up starts no loader
    assert cli._history_argv() is None
    # given a city whose history is still to load: up starts `demo --load-history`
    municipality = _city(defer_history=True)
    assert cli._history_argv()[-2:] == ["demo", "--load-history"]
    # once it is loaded, up starts no loader again
    demo_histories_load()
    assert cli._history_argv() is None
    assert DemoHistory.objects.get(municipality=municipality).is_finished


@pytest.mark.django_db(transaction=True)
def test_an_appeal_filed_while_the_history_loads_keeps_its_key_and_number(monkeypatch):
    from opencity.appeals.services import appeal_number_next

    # given a history stopped after two days, and an appeal filed on the site meanwhile
    municipality = _city(defer_history=True)
    _load_stopping_after(2, monkeypatch)
    written = Appeal.objects.filter(municipality=municipality)
    template = written.order_by("id").first()
    filed_number = appeal_number_next(municipality=municipality, year=2025)
    template.pk, template.number = None, filed_number
    template.save()
    filed_id = template.pk
    # when the history goes on loading
    demo_histories_load()
    # then the filed appeal is still the one with its key and number, and numbers are unique
    assert Appeal.objects.get(pk=filed_id).number == filed_number
    numbers = list(written.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    last = AppealNumberCounter.objects.get(municipality=municipality, year=2025).last_value
    assert last == len(numbers)
