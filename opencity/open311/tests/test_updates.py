"""Service request updates carry the status the request had when each update was made."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opencity.appeals import services
from opencity.appeals.models import Appeal
from opencity.open311.tests.contract import FORMATS, city, get, leak_request, parse, post

__all__ = ["city"]


def _file_as_resident(client, city):
    response = post(
        client, "requests", "json", leak_request(city, api_key=city.secrets["resident"])
    )
    assert response.status_code == 200, response.content
    return Appeal.objects.get(number=response.json()[0]["service_request_id"])


def _say(appeal, city, text):
    services.appeal_comment(appeal=appeal, actor=city.users["manager"], text=text, is_public=True)


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_update_carries_the_status_as_of_that_update(client, city, fmt):
    appeal = _file_as_resident(client, city)
    manager, resident = city.users["manager"], city.users["resident"]
    _say(appeal, city, "We have it")
    services.appeal_accept(appeal=appeal, actor=manager)
    services.appeal_resolve(appeal=appeal, actor=manager, resolution="Sealed")
    services.appeal_confirm(appeal=appeal, actor=resident, rating=5)
    _say(appeal, city, "Closed on the resident's word")
    services.appeal_reject(appeal=appeal, actor=resident, reason="It drips again")
    _say(appeal, city, "A roofer comes back")
    appeal.refresh_from_db()
    assert appeal.status == "reopened"

    feed = parse(get(client, "servicerequestupdates", fmt), fmt)
    seen = [(u["description"], u["status"], u["external_status_code"]) for u in feed]
    # what the request read when each update was made, not what it reads now (reopened)
    assert seen == [
        ("Registered", "open", "registered"),
        ("Sent to an organisation", "open", "registered"),
        ("We have it", "open", "registered"),
        ("Status changed", "action_scheduled", "accepted"),
        ("Sealed", "fixed", "resolved"),
        ("Confirmed by the resident", "closed", "closed"),
        ("Closed on the resident's word", "closed", "closed"),
        ("Rejected by the resident", "reopen", "reopened"),
        ("A roofer comes back", "reopen", "reopened"),
    ]


def test_update_statuses_read_in_one_query_per_page(client, city):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = get(client, "servicerequestupdates", "json")
        assert response.status_code == 200
        return len(captured), len(response.json())

    appeal = _file_as_resident(client, city)
    services.appeal_accept(appeal=appeal, actor=city.users["manager"])
    one, rows_one = queries()
    for _n in range(3):
        other = _file_as_resident(client, city)
        services.appeal_accept(appeal=other, actor=city.users["manager"])
        services.appeal_resolve(appeal=other, actor=city.users["manager"], resolution="Done")
    many, rows_many = queries()
    assert rows_many > rows_one and many == one
