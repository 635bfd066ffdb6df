"""Schemathesis against the API's own OpenAPI document, in process (WSGI), on the real database:
every operation gets generated requests (as a resident and as a dispatcher), and the links
of the document (file an appeal → read it, comment on it, cancel it) drive stateful runs.

No response may be a server error or differ from the document (status codes, content
types, headers, bodies); data the document forbids must be refused with a 4xx.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks

from config.api import api
from opencity.appeals import services
from opencity.appeals.models import Channel
from opencity.appeals.tests.city import city_create

# A copy as served (JSON): schemathesis rewrites the links of the dict it is given, which
# would otherwise be the API's own openapi_extra.
SCHEMA = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))
)
SCHEMA.app = WSGIHandler()

# Domain rules (a description of 5+ characters, a building of this city, a status that allows
# an action) refuse some data the document allows: that is a 400/404/409, never a 5xx.
EXCLUDED = [checks.positive_data_acceptance]
FAST = settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _one_connection():
    """Keep the test's database connection across the app's requests, as Django's client does."""
    # The real handler would close it when each request finishes (and with it the test's
    # transaction on PostgreSQL).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def city(db):
    city = city_create(api=True)
    # An appeal to read and act on (its number appears in generated paths only by chance,
    # the stateful runs reach it through the links).
    services.appeal_create(
        municipality=city.municipality,
        category=city.pothole,
        description="A pothole at the crossing",
        channel=Channel.WEB,
        author=city.users["resident"],
        lat=55.79,
        lon=49.12,
    )
    return city


def test_the_document_describes_every_operation():
    # The document as served (JSON), not SCHEMA's copy, which the stateful runs rewrite.
    paths = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))["paths"]
    assert "/api/v1/appeals/" in paths and "/api/v1/appeals/{number}/resolve" in paths
    assert "/api/v1/outages/" in paths and "/api/v1/meters/imports" in paths
    links = paths["/api/v1/appeals/"]["post"]["responses"]["201"]["links"]
    assert {"GetAppeal", "CommentAppeal", "CancelAppeal"} <= set(links)
    outage_links = paths["/api/v1/outages/"]["post"]["responses"]["201"]["links"]
    assert {"GetOutage", "ChangeOutage", "RestoreOutage", "CancelOutage"} <= set(outage_links)
    operation_ids = {
        op["operationId"] for item in paths.values() for op in item.values() if "operationId" in op
    }
    for link in [*links.values(), *outage_links.values()]:
        assert link["operationId"] in operation_ids


@pytest.mark.parametrize("who", ["resident", "dispatcher"])
@SCHEMA.parametrize()
@FAST
def test_api_conforms_to_its_document(case, city, who):
    headers = {"Authorization": city.bearer(who)["HTTP_AUTHORIZATION"]}
    case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)


@pytest.mark.parametrize("who", ["resident", "dispatcher"])
def test_stateful_links(city, who):
    """Follow the links a resident's appeals and a dispatcher's outages give, state by state."""
    # A resident files appeals and follows their links; a dispatcher also announces outages
    # and follows theirs (change, restore, cancel, join).
    headers = {"Authorization": city.bearer(who)["HTTP_AUTHORIZATION"]}

    class Workflow(SCHEMA.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # Every step sends the resident's valid token: a stray generated credential
            # beside it is not what decides, so "ignored auth" does not apply here.
            case.validate_response(response, excluded_checks=[*EXCLUDED, checks.ignored_auth])

    Workflow.run(
        settings=settings(
            max_examples=8,
            stateful_step_count=4,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
