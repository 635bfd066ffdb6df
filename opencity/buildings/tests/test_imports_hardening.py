"""Issue 11, items 1–9: what real registry exports contain, imported as a real file."""

import csv
import datetime as dt
import io
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from opencity.buildings.imports import building_import
from opencity.buildings.imports.formats import REFORMA_COLUMNS
from opencity.buildings.models import Building, CapitalRepairFund, EnergyClass
from opencity.buildings.selectors import building_hit, building_search
from opencity.buildings.services import building_create
from opencity.core.tests.factories import MunicipalityFactory
from opencity.organisations.models import ManagementContract, Organisation, OrganisationKind

EKB = {"LAT": "56.8389", "LON": "60.6057"}


def reforma(*rows: dict, extra: tuple[str, ...] = ()) -> io.BytesIO:
    """Return a Реформа ЖКХ export of these rows: every cell not given says "Не заполнено"."""
    out = StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    header = [*REFORMA_COLUMNS, *extra]
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "Не заполнено") for c in header])
    return io.BytesIO(out.getvalue().encode("utf-8"))


def row(house_id: str, address: str, **cells) -> dict:
    return {"HOUSE_ID": house_id, "ADDRESS": address, **EKB, **cells}


@pytest.fixture
def city():
    return MunicipalityFactory(slug="ekb", name="Екатеринбург", center_lat=56.84, center_lon=60.6)


def warnings_of(result, number: int) -> dict[str, str]:
    return {i.field: i.reason for i in result.warnings if i.row == number}


@pytest.mark.django_db
class TestValues:
    def test_energy_classes_blank_and_with_pluses(self, city):
        # item 1: "Не присвоен" is a blank, the 2011 scale's B+ and B++ are classes
        result = building_import(
            municipality=city,
            source=reforma(
                row("1", "г. Екатеринбург, ул. Ленина, д. 1", ENERGY_CLASS="Не присвоен"),
                row("2", "г. Екатеринбург, ул. Ленина, д. 2", ENERGY_CLASS="Нет"),
                row("3", "г. Екатеринбург, ул. Ленина, д. 3", ENERGY_CLASS="Не определен"),
                row("4", "г. Екатеринбург, ул. Ленина, д. 4", ENERGY_CLASS="B+"),
                row("5", "г. Екатеринбург, ул. Ленина, д. 5", ENERGY_CLASS="В++"),
            ),
        )
        assert result.warnings == []
        classes = dict(Building.objects.values_list("external_id", "energy_class"))
        assert classes == {
            "1": "",
            "2": "",
            "3": "",
            "4": EnergyClass.B_PLUS,
            "5": EnergyClass.B_PLUS_PLUS,
        }

    def test_a_special_account_of_the_regional_operator(self, city):
        # item 2
        building_import(
            municipality=city,
            source=reforma(
                row(
                    "1",
                    "г. Екатеринбург, ул. Ленина, д. 1",
                    CAPFOND="На специальном счете у регионального оператора",
                ),
                row(
                    "2",
                    "г. Екатеринбург, ул. Ленина, д. 2",
                    CAPFOND="На счете регионального оператора",
                ),
            ),
        )
        funds = dict(Building.objects.values_list("external_id", "capital_repair_fund"))
        assert funds == {
            "1": CapitalRepairFund.SPECIAL_ACCOUNT,
            "2": CapitalRepairFund.REGIONAL_OPERATOR,
        }

    def test_unknown_stays_unknown(self, city):
        # item 5: no start date invents none, a blank type is no type, placeholders are blanks
        result = building_import(
            municipality=city,
            source=reforma(
                row(
                    "1",
                    "г. Екатеринбург, ул. Ленина, д. 1",
                    MGMT_COMPANY='ООО "УК Урал"',
                    SERVICEDATE_START="Не заполнено",
                    HOUSE_TYPE="Не заполнено",
                    SERIE="данные отсутствуют",
                    AREA=".",
                    AREA_LIVE="отсутствует",
                    DOORS="-",
                    CADNO="нет данных",
                    BLAG_PLAYGROUND="отсутствует",
                ),
            ),
        )
        assert result.warnings == []
        b = Building.objects.get(external_id="1")
        assert b.management_company.name == 'ООО "УК Урал"'
        assert b.management_since is None
        assert not ManagementContract.objects.filter(building=b).exists()
        assert b.house_type == ""
        assert (b.series, b.area_total, b.area_residential, b.entrances_count) == (
            "",
            None,
            None,
            None,
        )
        assert b.cadastral_number == ""
        assert b.amenities == "Детская площадка: отсутствует"

    def test_a_new_manager_without_a_date_closes_the_old_contract_on_the_import_day(self, city):
        # given a building managed since a known date
        first = reforma(
            row(
                "1",
                "г. Екатеринбург, ул. Ленина, д. 1",
                MGMT_COMPANY='ООО "УК Урал"',
                SERVICEDATE_START="01.03.2015",
            ),
        )
        building_import(municipality=city, source=first)
        # when the export names another manager and no date
        result = building_import(
            municipality=city,
            source=reforma(
                row("1", "г. Екатеринбург, ул. Ленина, д. 1", MGMT_COMPANY='ООО "УК Исеть"'),
            ),
        )
        # then the new manager is recorded with no "since", the old contract closed today
        b = Building.objects.get(external_id="1")
        assert (b.management_company.name, b.management_since) == ('ООО "УК Исеть"', None)
        old = ManagementContract.objects.get(building=b)
        assert old.end_date == timezone.localdate()
        assert "no start date" in warnings_of(result, 2)["SERVICEDATE_START"]
        assert result.updated == 1

    def test_the_organisation_kind_comes_from_the_legal_form(self, city):
        # item 7
        building_import(
            municipality=city,
            source=reforma(
                row("1", "г. Екатеринбург, ул. Ленина, д. 1", MGMT_COMPANY='ООО "УК ЖК Солнечный"'),
                row(
                    "2",
                    "г. Екатеринбург, ул. Ленина, д. 2",
                    MGMT_COMPANY='ТОВАРИЩЕСТВО СОБСТВЕННИКОВ ЖИЛЬЯ "ЛУЧ"',
                ),
                row("3", "г. Екатеринбург, ул. Ленина, д. 3", MGMT_COMPANY="ПЖСК № 12"),
                row(
                    "4",
                    "г. Екатеринбург, ул. Ленина, д. 4",
                    MGMT_COMPANY="Непосредственное управление",
                ),
            ),
        )
        kinds = dict(Organisation.objects.filter(municipality=city).values_list("name", "kind"))
        assert kinds == {
            'ООО "УК ЖК Солнечный"': OrganisationKind.MANAGEMENT_COMPANY,
            'ТОВАРИЩЕСТВО СОБСТВЕННИКОВ ЖИЛЬЯ "ЛУЧ"': OrganisationKind.HOMEOWNERS_ASSOCIATION,
            "ПЖСК № 12": OrganisationKind.HOMEOWNERS_ASSOCIATION,
        }
        assert Building.objects.get(external_id="4").management_company is None


# item 6: (cells, the column reported, the field not imported, a field kept)
INCONSISTENT = [
    (
        {"AREA": "1200", "AREA_LIVE": "2900,5"},
        "AREA_LIVE",
        "area_residential",
        ("area_total", Decimal("1200.00")),
    ),
    (
        {"AREA": "1200", "AREA_NONLIVE": "1500"},
        "AREA_NONLIVE",
        "area_nonresidential",
        ("area_total", Decimal("1200.00")),
    ),
    ({"LEVELS_MAX": "5", "LEVELS_MIN": "9"}, "LEVELS_MIN", "floors_min", ("floors_max", 5)),
    (
        {"ROOM_COUNT": "60", "ROOM_COUNT_LIVE": "80"},
        "ROOM_COUNT_LIVE",
        "premises_residential",
        ("premises_total", 60),
    ),
    (
        {"ROOM_COUNT": "60", "ROOM_COUNT_NONLIVE": "61"},
        "ROOM_COUNT_NONLIVE",
        "premises_nonresidential",
        ("premises_total", 60),
    ),
    (
        {"AREA": "0", "AREA_LIVE": "900"},
        "AREA",
        "area_total",
        ("area_residential", Decimal("900.00")),
    ),
    ({"LEVELS_MAX": "0", "DOORS": "2"}, "LEVELS_MAX", "floors_max", ("entrances_count", 2)),
    ({"YEAR": "1201", "LEVELS_MAX": "5"}, "YEAR", "year_built", ("floors_max", 5)),
    ({"YEAR": "2107", "LEVELS_MAX": "5"}, "YEAR", "year_built", ("floors_max", 5)),
    ({"YEAR": "0", "LEVELS_MAX": "5"}, "YEAR", "year_built", ("floors_max", 5)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("cells", "column", "dropped", "kept"), INCONSISTENT)
def test_an_inconsistent_value_is_dropped_and_reported(city, cells, column, dropped, kept):
    # when
    result = building_import(
        municipality=city, source=reforma(row("1", "г. Екатеринбург, ул. Ленина, д. 1", **cells))
    )
    # then the row is imported with its plausible values, the other one reported
    assert (result.created, result.failed) == (1, 0)
    assert [(i.row, i.field, i.fatal) for i in result.errors] == [(2, column, False)]
    b = Building.objects.get(external_id="1")
    assert getattr(b, dropped) is None
    assert getattr(b, kept[0]) == kept[1]


@pytest.mark.django_db
def test_a_consistent_row_has_no_warnings(city):
    result = building_import(
        municipality=city,
        source=reforma(
            row(
                "1",
                "г. Екатеринбург, ул. Ленина, д. 1",
                AREA="1200",
                AREA_LIVE="900",
                AREA_NONLIVE="300",
                LEVELS_MAX="9",
                LEVELS_MIN="5",
                ROOM_COUNT="60",
                ROOM_COUNT_LIVE="58",
                ROOM_COUNT_NONLIVE="2",
                YEAR=str(dt.date.today().year),
            ),
        ),
    )
    assert result.errors == []


@pytest.mark.django_db
class TestAddresses:
    def test_a_city_and_its_village_are_two_places(self, city):
        # item 4: the same street and house in two settlements of one municipality
        building_import(
            municipality=city,
            source=reforma(
                row("1", "обл. Свердловская, г. Екатеринбург, ул. Гагарина, д. 3"),
                row("2", "обл. Свердловская, с. Горный Щит, ул. Гагарина, д. 3"),
                row("3", "край. Приморский, нп. Русский Остров, п. Подножье, д. 26"),
            ),
        )
        town, village, nested = (Building.objects.get(external_id=k) for k in "123")
        assert (village.locality_type, village.locality_name) == ("с.", "Горный Щит")
        # the city's own houses read as before; the village's and the nested one name theirs
        assert str(town) == "ул. Гагарина, 3"
        assert str(village) == "с. Горный Щит, ул. Гагарина, 3"
        assert str(nested) == "нп. Русский Остров, п. Подножье, 26"
        assert town.search_text == "ул гагарина 3"
        assert village.search_text == "с горный щит ул гагарина 3"
        # the search labels tell them apart, and the settlement narrows it
        hits = building_search(municipality=city, query="гагарина 3")
        assert [h.label for h in hits] == [
            "ул. Гагарина, 3",
            "с. Горный Щит, ул. Гагарина, 3",
        ]
        assert [
            h.id for h in building_search(municipality=city, query="горный щит гагарина 3")
        ] == [village.id]
        assert [h.id for h in building_search(municipality=city, query="Подножье 26")] == [
            nested.id
        ]

    def test_a_duplicate_marker_keeps_the_building_and_is_reported(self, city):
        result = building_import(
            municipality=city,
            source=reforma(
                row("1", "г. Екатеринбург, ул. Ленина, д. 5"),
                row("2", "г. Екатеринбург, ул. Ленина, д. 5 (дубль 1)"),
            ),
        )
        assert result.created == 2
        b = Building.objects.get(external_id="2")
        assert (b.street, b.house_number) == ("ул. Ленина", "5")
        assert "duplicate (дубль 1)" in warnings_of(result, 3)["ADDRESS"]


@pytest.mark.django_db
def test_columns_the_format_does_not_know_are_reported(city, tmp_path):
    # item 8
    data = reforma(
        row("1", "г. Екатеринбург, ул. Ленина, д. 1", COLD_WATER="Центральное"),
        extra=("FIAS_HOUSE_GUID", "FIAS_FLAG", "COLD_WATER", "HOT_WATER"),
    )
    result = building_import(municipality=city, source=data)
    assert result.ignored_columns == ["FIAS_HOUSE_GUID", "FIAS_FLAG", "COLD_WATER", "HOT_WATER"]
    assert result.created == 1
    # and the command says so
    path = tmp_path / "export.csv"
    path.write_bytes(data.getvalue())
    out = StringIO()
    call_command(
        "import_buildings", str(path), "--municipality", "ekb", stdout=out, stderr=StringIO()
    )
    assert (
        "Columns not part of the reforma format, ignored: FIAS_HOUSE_GUID, FIAS_FLAG, COLD_WATER, "
        "HOT_WATER" in out.getvalue()
    )


@pytest.mark.django_db
def test_a_repeated_column_is_read_once_and_reported(city):
    out = StringIO()
    out.write('"HOUSE_ID","ADDRESS","LEVELS_MAX","LEVELS_MAX"\n"1","ул. Ленина, д. 1","5","9"\n')
    result = building_import(municipality=city, source=io.BytesIO(out.getvalue().encode()))
    assert result.ignored_columns == ["LEVELS_MAX"]
    assert Building.objects.get(external_id="1").floors_max == 5


@pytest.mark.django_db
class TestSettlementEverywhere:
    """Item 4: every label of a building names its settlement outside the municipality's town."""

    @pytest.fixture
    def village(self, city):
        return building_create(
            municipality=city, address="обл. Свердловская, с. Горный Щит, ул. Гагарина, д. 3"
        )

    def test_a_building_made_by_hand_reads_its_settlement(self, city, village):
        assert (village.locality_type, village.locality_name) == ("с.", "Горный Щит")
        assert str(village) == "с. Горный Щит, ул. Гагарина, 3"
        assert village.search_text == "с горный щит ул гагарина 3"

    def test_the_chosen_building_of_the_filing_form_and_the_search_agree(self, city, village):
        (hit,) = building_search(municipality=city, query="горный щит 3")
        assert building_hit(building=village) == hit
        assert hit.label == "с. Горный Щит, ул. Гагарина, 3"

    def test_the_public_pages_show_it(self, client, city, village):
        page = client.get(f"/m/{city.slug}{reverse('buildings:detail', args=[village.pk])}")
        assert "с. Горный Щит, ул. Гагарина, 3" in page.content.decode()
        page = client.get(f"/m/{city.slug}{reverse('outages:building', args=[village.pk])}")
        assert page.status_code == 200
        assert "с. Горный Щит, ул. Гагарина, 3" in page.content.decode()

    def test_a_municipality_named_after_no_settlement_shows_every_one(self, village):
        district = MunicipalityFactory(name="Сысертский городской округ")
        town = building_create(
            municipality=district, address="обл. Свердловская, г. Сысерть, ул. Ленина, д. 1"
        )
        assert str(town) == "г. Сысерть, ул. Ленина, 1"
