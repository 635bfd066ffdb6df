"""The queue's filter selects: the same HTML as Django's Select, cached and forgotten on change."""

import re

import pytest
from django import forms

from opencity.appeals.forms_queue import QueueFilterForm
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.core.widgets import FastSelect
from opencity.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _squash(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


def test_fast_select_writes_the_markup_django_templates_write():
    # given choices with groups, a selected value, markup to escape and boolean attributes
    choices = [
        ("", "Any"),
        ("Группа <1>", [("a", 'A & "quoted"'), ("b", "B")]),
        ("c", "C"),
    ]
    attrs = {"data-testid": "x", "required": True, "disabled": False, "id": "id_x"}
    # when both widgets render the same field
    django_html = forms.Select(attrs=attrs, choices=choices).render("x", "b")
    fast_html = FastSelect(attrs=attrs, choices=choices).render("x", "b")
    # then the markup is the same, whitespace between tags aside
    assert _squash(fast_html) == _squash(django_html)
    assert "selected>B</option>" in fast_html and "&amp; &quot;quoted&quot;" in fast_html


def test_the_cached_organisation_filter_shows_a_renamed_organisation():
    # given a city whose dispatcher console has rendered its organisation filter once
    municipality = MunicipalityFactory()
    DistrictFactory(municipality=municipality)
    organisation = OrganisationFactory(municipality=municipality, short_name="УК Старая")
    first = str(QueueFilterForm(municipality=municipality)["organisation"])
    assert "УК Старая" in first
    # when the organisation is renamed
    organisation.short_name = "УК Новая"
    organisation.save()
    # then the next console shows the new name, not the cached one
    again = str(QueueFilterForm(municipality=municipality)["organisation"])
    assert "УК Новая" in again and "УК Старая" not in again


def test_the_selected_filter_is_marked_in_the_cached_select():
    municipality = MunicipalityFactory()
    organisation = OrganisationFactory(municipality=municipality)
    OrganisationFactory(municipality=municipality)
    str(QueueFilterForm(municipality=municipality)["organisation"])  # the unselected one cached
    form = QueueFilterForm({"organisation": str(organisation.pk)}, municipality=municipality)
    html = str(form["organisation"])
    assert f'value="{organisation.pk}" selected' in html
