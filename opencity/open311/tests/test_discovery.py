"""Discovery: what a client reads first to find the city's endpoint and its service list."""

import datetime as dt
import re

import pytest

from opencity.appeals.models import Appeal, Category
from opencity.appeals.tests.city import city_create
from opencity.core.refcache import refcache_clear
from opencity.open311.tests.contract import (
    FORMATS,
    W3C,
    city,
    get,
    leak_request,
    parse,
    post,
)

__all__ = ["city"]


def _filed(client, city):
    data = {**leak_request(city), "jurisdiction_id": city.municipality.slug}
    response = post(client, "requests", "json", data)
    assert response.status_code == 200, response.content
    return Appeal.objects.get(number=response.json()[0]["service_request_id"])


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


def _links(doc):
    return [doc["endpoints"][0]["url"], *re.findall(r"https?://[^\s);]+", doc["key_service"])]


@pytest.mark.parametrize("fmt", FORMATS)
def test_links_point_to_the_city_under_its_prefix(client, city, fmt):
    doc = parse(client.get(f"/m/kazan/open311/v2/discovery.{fmt}"), fmt)
    assert doc["contact"].endswith(", http://testserver/m/kazan/")  # the city's site, not /
    assert doc["endpoints"][0]["url"] == "http://testserver/m/kazan/open311/v2"
    for link in _links(doc):
        assert link.startswith("http://testserver/m/kazan/"), link


@pytest.mark.parametrize("fmt", FORMATS)
def test_links_point_to_the_city_jurisdiction_id_names(client, city, fmt):
    chelny = city_create(slug="chelny", name="Набережные Челны", api=True)
    for path in ("/open311/v2", "/m/kazan/open311/v2"):
        url = f"{path}/discovery.{fmt}?jurisdiction_id=chelny"
        doc = parse(client.get(url), fmt)
        assert doc["contact"].startswith(chelny.municipality.name)
        assert doc["contact"].endswith(", http://testserver/m/chelny/"), url
        for link in _links(doc):
            assert link.startswith("http://testserver/m/chelny/"), (url, link)
        # and the endpoint found there serves that city without jurisdiction_id
        there = doc["endpoints"][0]["url"].removeprefix("http://testserver")
        again = parse(client.get(f"{there}/discovery.{fmt}"), fmt)
        assert again["contact"] == doc["contact"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_media_url_points_to_the_city_jurisdiction_id_names(client, city, fmt):
    from opencity.appeals.models import AppealPhoto

    chelny = city_create(slug="chelny", name="Набережные Челны", api=True)
    appeal = _filed(client, chelny)
    photo = AppealPhoto.objects.create(
        municipality=chelny.municipality,
        appeal=appeal,
        original="appeals/x.jpg",
        public_image="appeals/x-public.jpg",
        content_type="image/jpeg",
        size=100,
        is_approved=True,
    )
    response = client.get(f"/m/kazan/open311/v2/requests.{fmt}?jurisdiction_id=chelny")
    (record,) = parse(response, fmt)
    expected = f"http://testserver/m/chelny/appeals/{appeal.number}/photos/{photo.pk}/"
    assert record["media_url"] == expected
