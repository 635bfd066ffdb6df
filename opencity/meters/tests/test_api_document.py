"""The meters API's OpenAPI document: what it declares, and the answers checked against it."""

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections

from config.api import api
from opencity.meters.tests.callers import api_key, bearer
from opencity.meters.tests.factories import this_month

pytestmark = pytest.mark.django_db


def test_the_document_declares_the_files_and_the_confirmation():
    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    report = paths["/api/v1/meters/imports/{import_id}/report"]["get"]["responses"][200]
    export = paths["/api/v1/meters/export"]["get"]["responses"][200]
    submit_op = paths["/api/v1/meters/{meter_id}/readings"]["post"]

    assert set(report["content"]) == {"text/csv"}
    assert set(export["content"]) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    assert {201, 400, 404, 409} <= set(submit_op["responses"])
    assert "needs_confirmation" in submit_op["description"]


@pytest.fixture
def wsgi_schema():
    """Return the API's document with the real WSGI handler behind it."""
    # The test's database connection is kept across the handler's requests (as in the appeals'
    # schema tests).
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
    schema.app = WSGIHandler()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schema
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_answers_a_fuzzer_cannot_reach_conform_to_the_document(mw, home, wsgi_schema):
    """Check the successful answers against their operations in the document."""
    # The fuzzer's resident and dispatcher have no meters and import nothing.
    resident, water, _power = home
    month = this_month(mw).strftime("%Y-%m")
    resident_auth = {"Authorization": bearer(resident)["HTTP_AUTHORIZATION"]}
    key = {"X-API-Key": api_key(mw.water)["HTTP_X_API_KEY"]}

    def check(path, method, headers, status, **parts):
        case = wsgi_schema[f"/api/v1/meters{path}"][method].Case(**parts)
        response = case.call(headers=headers)
        assert response.status_code == status, response.text
        case.validate_response(response, headers=headers)
        return response

    check("/", "GET", resident_auth, 200)
    check("/{meter_id}/readings", "GET", resident_auth, 200, path_parameters={"meter_id": water.pk})
    check(
        "/{meter_id}/readings",
        "POST",
        resident_auth,
        201,
        path_parameters={"meter_id": water.pk},
        body={"values": ["125"]},
        media_type="application/json",
    )
    check(
        "/{meter_id}/readings",
        "POST",
        resident_auth,
        400,
        path_parameters={"meter_id": water.pk},
        body={"values": ["4000"]},  # a jump
        media_type="application/json",
    )
    created = check(
        "/imports",
        "POST",
        key,
        201,
        body={
            "file": f"serial_number;period;value\nW-1;{month};130\nX;{month};1\n".encode(),
            "provider_id": mw.water.pk,
        },
        media_type="multipart/form-data",
    )
    batch = {"import_id": created.json()["id"]}
    check("/imports/{import_id}", "GET", key, 200, path_parameters=batch)
    check("/imports/{import_id}/report", "GET", key, 200, path_parameters=batch)
    for fmt in ("csv", "xlsx"):
        check(
            "/export",
            "GET",
            key,
            200,
            query={"provider_id": mw.water.pk, "period": month, "format": fmt},
        )
