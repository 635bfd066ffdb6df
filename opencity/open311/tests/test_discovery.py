"""Discovery: what a client reads first to find the city's endpoint and its service list."""

import datetime as dt

import pytest

from opencity.appeals.models import Category
from opencity.core.refcache import refcache_clear
from opencity.open311.tests.test_contract import FORMATS, W3C, city, get, parse

__all__ = ["city"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_changeset_is_when_the_service_list_last_changed(client, city, fmt):
    long_ago = dt.datetime(2026, 1, 10, 6, 30, 15, tzinfo=dt.UTC)
    Category.objects.filter(municipality=city.municipality).update(updated_at=long_ago)
    refcache_clear()
    doc = parse(get(client, "discovery", fmt), fmt)
    assert W3C.match(doc["changeset"]), doc["changeset"]
    assert doc["changeset"] == "2026-01-10T09:30:15+03:00"  # in the city's zone
    assert doc["endpoints"][0]["changeset"] == doc["changeset"]

    city.pothole.name = "Яма на проезжей части"
    city.pothole.save()  # an edit moves the changeset to the moment it was made
    changed = Category.objects.get(pk=city.pothole.pk).updated_at
    doc = parse(get(client, "discovery", fmt), fmt)
    assert dt.datetime.fromisoformat(doc["changeset"]) == changed.replace(microsecond=0)
    assert dt.datetime.fromisoformat(doc["changeset"]) > long_ago


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_keywords_are_comma_separated(client, city, fmt):
    city.pothole.keywords = "яма  выбоина\tасфальт яма"  # as the seeds write them: by spaces
    city.pothole.save()
    city.moderated.keywords = "надпись на стене;  граффити\nвандализм"
    city.moderated.save()
    by_code = {s["service_code"]: s for s in parse(get(client, "services", fmt), fmt)}
    assert by_code["pothole"]["keywords"] == "яма, выбоина, асфальт"
    assert by_code["graffiti"]["keywords"] == "надпись на стене, граффити, вандализм"
    assert by_code["roof-leak"]["keywords"] == "крыша, течь"
