"""Service definition attributes: a number's range is said in its definition and checked."""

import pytest

from opencity.appeals.models import Appeal, QuestionType
from opencity.appeals.tests.factories import CategoryQuestionFactory
from opencity.open311.tests.contract import (
    FORMATS,
    city,
    errors_of,
    get,
    leak_request,
    parse,
    post,
)

__all__ = ["city"]


@pytest.fixture
def ranged(city):
    CategoryQuestionFactory(
        category=city.leak,
        code="storeys",
        label="How many storeys?",
        datatype=QuestionType.NUMBER,
        order=4,
        min_value=1,
        max_value=30,
    )
    CategoryQuestionFactory(
        category=city.leak,
        code="wet_m2",
        label="How large is the wet patch, m²?",
        datatype=QuestionType.NUMBER,
        order=5,
        min_value="0.5",
    )
    return city


@pytest.mark.parametrize("fmt", FORMATS)
def test_number_range_is_in_the_definition(client, ranged, fmt):
    attributes = parse(get(client, "services/roof-leak", fmt), fmt)["attributes"]
    by_code = {a["code"]: a for a in attributes}
    assert by_code["storeys"]["datatype"] == "number"
    assert by_code["storeys"]["datatype_description"] == "Enter a number from 1 to 30."
    assert by_code["wet_m2"]["datatype_description"] == "Enter a number of at least 0.5."


@pytest.mark.parametrize("fmt", FORMATS)
def test_numbers_outside_the_range_are_refused(client, ranged, fmt):
    for code, value, message in (
        ("storeys", "0", "Enter a number from 1 to 30."),
        ("storeys", "31", "Enter a number from 1 to 30."),
        ("storeys", "-2.5", "Enter a number from 1 to 30."),
        ("wet_m2", "0.4", "Enter a number of at least 0.5."),
    ):
        data = leak_request(ranged, **{f"attribute[{code}]": value})
        errors = errors_of(post(client, "requests", fmt, data), fmt, 400)
        assert f"attribute[{code}]: {message}" in [e["description"] for e in errors], value
    assert not Appeal.objects.exists()
    edges = leak_request(ranged, **{"attribute[storeys]": "30", "attribute[wet_m2]": "0.5"})
    assert post(client, "requests", fmt, edges).status_code == 200
    assert Appeal.objects.get().answers["storeys"] == 30
    assert Appeal.objects.get().answers["wet_m2"] == 0.5
