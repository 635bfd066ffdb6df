"""The demo_city command: safe on every start with --if-empty, replaceable with --reset."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from opencity.accounts.models import User
from opencity.buildings.models import Building
from opencity.core.models import Municipality
from opencity.demo.selectors import demo_city_dump
from opencity.organisations.models import Organisation

# Appeals have their own tests (test_demo_appeals.py); these stay quick without them.
SMALL = [
    "--buildings",
    "30",
    "--second-buildings",
    "12",
    "--apartment-buildings",
    "3",
    "--appeal-days",
    "0",
]


def _run(*args):
    out = StringIO()
    call_command("demo_city", *SMALL, *args, stdout=out)
    return out.getvalue()


def _dumps():
    return {m.slug: demo_city_dump(municipality=m) for m in Municipality.objects.order_by("slug")}


@pytest.mark.django_db
def test_the_command_creates_both_cities_and_prints_the_logins():
    output = _run()
    assert list(Municipality.objects.order_by("id").values_list("slug", flat=True)) == [
        "kazan",
        "yelabuga",
    ]
    assert Building.objects.filter(municipality__slug="kazan").count() == 30
    assert Building.objects.filter(municipality__slug="yelabuga").count() == 12
    assert User.objects.filter(username="admin", is_superuser=True).exists()
    assert "resident@demo.opencity" in output
    assert "dispatcher@yelabuga.demo.opencity" in output
    assert "opencity-demo" in output


@pytest.mark.django_db
def test_if_empty_leaves_existing_cities_alone():
    _run()
    before = _dumps()
    output = _run("--if-empty", "--seed", "99")
    assert "already there" in output
    assert _dumps() == before
    assert "resident@demo.opencity" in output  # the logins are printed on every start


@pytest.mark.django_db
def test_without_a_flag_an_existing_city_is_refused():
    _run()
    with pytest.raises(CommandError, match="--reset"):
        _run()
    assert Building.objects.filter(municipality__slug="kazan").count() == 30


@pytest.mark.django_db
def test_reset_replaces_the_demo_cities_with_the_same_data():
    _run()
    before = _dumps()
    Building.objects.filter(municipality__slug="kazan").update(notes="edited by hand")
    _run("--reset")
    assert _dumps() == before
    assert not Building.objects.filter(notes="edited by hand").exists()


@pytest.mark.django_db
def test_no_second_generates_the_main_city_only():
    output = _run("--no-second")
    assert list(Municipality.objects.values_list("slug", flat=True)) == ["kazan"]
    assert "yelabuga" not in output


@pytest.mark.django_db
def test_reset_keeps_other_municipalities():
    other = Municipality.objects.create(slug="nizhnekamsk", name="Нижнекамск", code="NKM")
    Organisation.objects.create(municipality=other, kind="contractor", name="ООО «Местный»")
    _run()
    _run("--reset", "--no-second")
    assert Organisation.objects.filter(municipality=other).count() == 1
    assert Municipality.objects.filter(slug="yelabuga").exists()


@pytest.mark.django_db
def test_the_database_has_planner_statistics_after_the_load():
    # Without them SQLite reads a whole year of appeals to find one resident's few.
    _run()

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'buildings_building'")
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'buildings_building'")
        assert cursor.fetchone()[0] > 0
