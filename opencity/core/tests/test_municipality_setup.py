"""Setting up a new city: `opencity municipality create|list` and the admin's add form."""

import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from opencity.cli import main
from opencity.core.models import CalendarOverride, Municipality
from opencity.core.tests.factories import MunicipalityFactory

EKB = [
    "--name",
    "Екатеринбург",
    "--slug",
    "ekb",
    "--host",
    "ekb.example.org",
    "--centre",
    "56.838,60.605",
    "--extent",
    "56.70,60.40,56.98,60.80",
    "--time-zone",
    "Asia/Yekaterinburg",
    "--languages",
    "ru,en",
    "--name-genitive",
    "Екатеринбурга",
    "--name-prepositional",
    "Екатеринбурге",
]


def create(*args, **kwargs) -> str:
    out = kwargs.pop("stdout", None)
    import io

    buffer = out or io.StringIO()
    call_command("municipality", "create", *args, stdout=buffer)
    return buffer.getvalue()


def with_option(option: str, value: str | None) -> list[str]:
    """EKB with one option replaced (or removed when value is None)."""
    args = list(EKB)
    if option in args:
        at = args.index(option)
        del args[at : at + 2]
    return args + ([option, value] if value is not None else [])


@pytest.mark.django_db
def test_create_sets_up_the_city_with_every_rule_seeded():
    # when
    out = create(*EKB)
    # then the city is there with what was given
    city = Municipality.objects.get(slug="ekb")
    assert (city.name, city.code, city.host_list) == ("Екатеринбург", "EKB", ["ekb.example.org"])
    assert (city.center_lat, city.center_lon, city.time_zone) == (
        56.838,
        60.605,
        "Asia/Yekaterinburg",
    )
    assert city.boundary["type"] == "Polygon"
    assert (city.language_list, city.name_genitive, city.name_prepositional) == (
        ["ru", "en"],
        "Екатеринбурга",
        "Екатеринбурге",
    )
    # and its rules are seeded by the seed services themselves
    for model, label in [
        ("appeals.Category", "categories"),
        ("outages.OutageNorm", "norms"),
        ("meters.MeterRules", "meter rules"),
    ]:
        assert apps.get_model(model).objects.filter(municipality=city).exists(), label
    assert CalendarOverride.objects.filter(municipality=city).exists()
    for seed in ("seed_calendar", "seed_categories", "seed_outage_norms", "seed_meter_rules"):
        assert seed in out
    # and the operator is told what is left to do
    assert "ALLOWED_HOSTS" in out and "import-buildings" in out and "municipal admin" in out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--time-zone", "Asia/Ekaterinburg", "--time-zone: Unknown time zone 'Asia/Ekaterinburg'"),
        ("--centre", "60.605,56.838", "--centre: The centre 60.605,56.838 is outside the extent"),
        ("--languages", "ru,de", "--languages: Languages must be some of ru, en, tt"),
        ("--host", "ekb example", "--host: ekb example is not a host name"),
        ("--slug", "Екб", "--slug: The slug may have only Latin letters"),
        ("--code", "E", "--code: The code must be 2 to 8"),
        ("--country", "Russia", "--country: The country is a two-letter"),
        ("--centre", "56.838", "--centre '56.838': expected LAT,LON"),
        (
            "--extent",
            "56.98,60.40,56.70,60.80",
            "--extent '56.98,60.40,56.70,60.80': expected SOUTH,WEST,NORTH,EAST with south < north",
        ),
        ("--extent", None, None),  # no extent: the centre alone is enough
    ],
)
def test_create_refuses_each_bad_value_clearly_and_creates_nothing(option, value, expected):
    args = with_option(option, value)
    if expected is None:
        create(*args)
        assert Municipality.objects.get(slug="ekb").boundary is None
        return
    with pytest.raises(CommandError) as refused:
        create(*args)
    assert expected in str(refused.value)
    assert not Municipality.objects.exists()


@pytest.mark.django_db
def test_create_refuses_a_taken_slug_code_or_host_and_names_the_owner():
    create(*EKB)
    with pytest.raises(CommandError) as refused:
        create(*EKB)
    message = str(refused.value)
    assert "--slug: A municipality with the slug ekb already exists (Екатеринбург)" in message
    assert "--code: The code EKB is taken by Екатеринбург" in message
    assert "--host: ekb.example.org is already served as Екатеринбург" in message
    assert Municipality.objects.count() == 1


@pytest.mark.django_db
def test_create_needs_a_centre_or_an_extent():
    args = with_option("--centre", None)
    args = args[: args.index("--extent")] + args[args.index("--extent") + 2 :]
    with pytest.raises(CommandError, match="--centre: Give the centre, or an extent"):
        create(*args)


@pytest.mark.django_db
def test_create_takes_a_boundary_file_and_a_centre_inside_it(tmp_path):
    # given a GeoJSON file of two districts' polygons
    def square(west, south):
        ring = [
            [west, south],
            [west + 0.1, south],
            [west + 0.1, south + 0.1],
            [west, south + 0.1],
            [west, south],
        ]
        return {
            "type": "Feature",
            "properties": {},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }

    path = tmp_path / "ekb.geojson"
    path.write_text(
        json.dumps(
            {"type": "FeatureCollection", "features": [square(60.5, 56.8), square(60.6, 56.8)]}
        )
    )
    args = with_option("--centre", None)
    args = args[: args.index("--extent")] + args[args.index("--extent") + 2 :]
    create(*args, "--boundary", str(path))
    city = Municipality.objects.get(slug="ekb")
    assert 56.8 < city.center_lat < 56.9 and 60.5 < city.center_lon < 60.7
    assert city.boundary["type"] == "Polygon"  # the two touching squares are one


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("not json", "not a GeoJSON file"),
        (json.dumps({"type": "Point", "coordinates": [60.6, 56.8]}), "Polygon or a MultiPolygon"),
    ],
)
def test_create_refuses_a_boundary_file_that_is_not_polygons(tmp_path, content, expected):
    path = tmp_path / "bad.geojson"
    path.write_text(content)
    args = with_option("--extent", None)
    with pytest.raises(CommandError, match=expected):
        create(*args, "--boundary", str(path))
    assert not Municipality.objects.exists()


@pytest.mark.django_db
def test_list_shows_every_municipality(capsys):
    MunicipalityFactory(slug="kazan", name="Казань", code="KZN")
    create(*EKB)
    assert main(["municipality", "list"]) == 0
    out = capsys.readouterr().out
    assert "kazan\tKZN\tКазань" in out
    assert "ekb\tEKB\tЕкатеринбург" in out
    assert "Asia/Yekaterinburg" in out and "56.7000,60.4000,56.9800,60.8000" in out


def test_the_command_is_in_the_help(capsys):
    main(["--help"])
    assert "opencity municipality create|list" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_admin_add_form_does_not_prefill_kazan(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser(username="root", password="x"))
    page = client.get("/admin/core/municipality/add/").content.decode()
    assert 'name="center_lat"' in page
    assert "55.796" not in page and "49.106" not in page
    assert 'value="Europe/Moscow"' not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "spoken"),
    [
        ({}, "en"),  # nothing asked: the city's first language
        ({"accept-language": "ru"}, "ru"),  # one the city offers
        ({"accept-language": "tt"}, "en"),  # one it does not: its first
        ({"cookie": "django_language=tt"}, "en"),
    ],
)
def test_a_city_speaks_its_own_languages(client, headers, spoken):
    MunicipalityFactory(slug="intl", name="Intl", languages="en,ru")
    page = client.get("/m/intl/", headers=headers).content.decode()
    assert f'<html lang="{spoken}"' in page
    assert 'data-testid="lang-en"' in page and 'data-testid="lang-ru"' in page
    assert 'data-testid="lang-tt"' not in page
