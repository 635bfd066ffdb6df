import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from opencity.buildings.exports import building_export
from opencity.buildings.imports import ImportFileError, building_import
from opencity.buildings.imports.readers import table_read
from opencity.buildings.models import Building, CapitalRepairFund, HouseType
from opencity.buildings.services import building_update
from opencity.buildings.tests.factories import BuildingFactory, xlsx_damaged
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.organisations.models import ManagementContract, Organisation, OrganisationKind
from opencity.organisations.tests.factories import OrganisationFactory

DATA = Path(__file__).parent / "data"
REFORMA = DATA / "reforma_kazan.csv"


def csv_bytes(text: str, *, bom: bool = False) -> io.BytesIO:
    data = text.encode("utf-8")
    return io.BytesIO(b"\xef\xbb\xbf" + data if bom else data)


@pytest.fixture
def city():
    municipality = MunicipalityFactory(slug="kazan", name="Казань")
    DistrictFactory(municipality=municipality, name="Вахитовский", slug="vakhitovsky")
    return municipality


def issues_by_row(result):
    out = {}
    for issue in result.errors:
        out.setdefault(issue.row, []).append(issue)
    return out


@pytest.mark.django_db
class TestReformaFormat:
    def test_good_rows_kept_bad_rows_reported_with_row_numbers(self, city):
        # when
        result = building_import(municipality=city, source=REFORMA)
        # then
        assert result.format == "reforma"
        assert (result.total, result.created, result.failed) == (8, 5, 3)
        by_row = issues_by_row(result)
        assert [(i.field, i.fatal) for i in by_row[5]] == [("ADDRESS", True)]
        assert [(i.field, i.fatal) for i in by_row[8]] == [("HOUSE_ID", True)]
        assert by_row[9][0].fatal and "row 3" in by_row[9][0].reason
        assert Building.objects.filter(municipality=city).count() == 5

    def test_one_string_address_and_messy_values(self, city):
        building_import(municipality=city, source=REFORMA)
        b = Building.objects.get(municipality=city, external_id="8001")
        assert (b.street, b.house_number, b.corpus) == ("ул. Баумана", "12", "2")
        assert b.search_text == "ул баумана 12 к2"
        assert b.year_built == 1956
        assert b.series == "1-447"
        assert b.area_total == Decimal("3456.70")
        assert b.area_residential == Decimal("2900.50")
        assert b.floors_max == 5 and b.entrances_count == 4
        assert b.capital_repair_fund == CapitalRepairFund.REGIONAL_OPERATOR
        assert b.energy_class == ""
        assert b.is_emergency is False
        assert "Детская площадка: Да" in b.amenities
        assert b.source_updated_at.strftime("%d.%m.%Y %H:%M") == "09.04.2016 03:24"  # UTC
        assert b.h3_cell and b.district.slug == "vakhitovsky"

    def test_blanks_are_empty(self, city):
        building_import(municipality=city, source=REFORMA)
        b = Building.objects.get(municipality=city, external_id="8003")
        assert b.year_built is None and b.entrances_count is None and b.series == ""
        assert b.is_emergency is True

    def test_bad_coordinates_dropped_and_reported(self, city):
        result = building_import(municipality=city, source=REFORMA)
        by_row = issues_by_row(result)
        assert "swapped" in by_row[3][0].reason
        assert "zero" in by_row[4][0].reason
        assert any("outside" in i.reason for i in by_row[7])
        for ext in ("8002", "8003", "8006"):
            b = Building.objects.get(municipality=city, external_id=ext)
            assert b.lat is None and b.lon is None and b.h3_cell == ""

    def test_bad_optional_values_reported_row_kept(self, city):
        result = building_import(municipality=city, source=REFORMA)
        fields = {i.field: i for i in issues_by_row(result)[6]}
        assert set(fields) == {"YEAR", "AREA"}
        assert fields["AREA"].value == "много" and not fields["AREA"].fatal
        b = Building.objects.get(municipality=city, external_id="8005")
        assert b.area_total is None and b.year_built is None and b.floors_max == 12
        assert (b.street, b.house_number) == ("пр-кт Победы", "50А")
        assert b.house_type == HouseType.DORMITORY

    def test_management_company_matched_or_created_and_contracted(self, city):
        existing = OrganisationFactory(municipality=city, name="ООО «УК Центр»")
        building_import(municipality=city, source=REFORMA)
        b1 = Building.objects.get(municipality=city, external_id="8001")
        b2 = Building.objects.get(municipality=city, external_id="8002")
        assert b1.management_company == existing == b2.management_company
        assert b1.management_since.isoformat() == "2015-05-01"
        contract = ManagementContract.objects.get(building=b1)
        assert contract.organisation == existing and contract.end_date is None
        hoa = Building.objects.get(municipality=city, external_id="8003").management_company
        assert hoa.name == 'ТСЖ "Солнечный"'
        assert hoa.kind == OrganisationKind.HOMEOWNERS_ASSOCIATION

    def test_reimport_is_idempotent(self, city):
        building_import(municipality=city, source=REFORMA)
        orgs = Organisation.objects.count()
        # when
        result = building_import(municipality=city, source=REFORMA)
        # then
        assert (result.created, result.updated, result.unchanged) == (0, 0, 5)
        assert Building.objects.filter(municipality=city).count() == 5
        assert Organisation.objects.count() == orgs
        assert ManagementContract.objects.count() == 3

    def test_changed_manager_on_reimport_closes_old_contract(self, city):
        building_import(municipality=city, source=REFORMA)
        text = (
            REFORMA.read_text(encoding="utf-8")
            .replace('"ооо «УК центр»"', '"ООО ""Новая УК"""')
            .replace('"01.01.2010"', '"01.06.2020"')
        )
        result = building_import(municipality=city, source=csv_bytes(text))
        assert result.updated == 1 and result.created == 0
        b = Building.objects.get(municipality=city, external_id="8002")
        assert b.management_company.name == 'ООО "Новая УК"'
        old, new = ManagementContract.objects.filter(building=b).order_by("start_date")
        assert old.end_date.isoformat() == "2020-06-01" and new.end_date is None

    def test_dry_run_saves_nothing(self, city):
        result = building_import(municipality=city, source=REFORMA, dry_run=True)
        assert result.created == 5
        assert not Building.objects.exists() and not Organisation.objects.exists()

    def test_semicolon_and_bom(self, city):
        text = (
            "HOUSE_ID;ADDRESS;LAT;LON;AREA\n"
            '77;"г. Казань, ул. Баумана, д. 1";55,79;49,12;"1 234,5"\n'
        )
        result = building_import(municipality=city, source=csv_bytes(text, bom=True))
        assert result.created == 1, result.errors
        b = Building.objects.get(external_id="77")
        assert b.area_total == Decimal("1234.50") and b.lat == pytest.approx(55.79)


@pytest.mark.django_db
class TestOwnFormat:
    def test_bad_rows_reported_good_rows_kept(self, city):
        text = (
            "external_id,address,floors_max,year_built,wall_material,lat,lon,district\n"
            'a1,"ул. Баумана, 1",9,1975,panel,55.79,49.12,vakhitovsky\n'
            "a2,,9,1975,panel,55.79,49.12,\n"
            'a3,"ул. Баумана, 3",девять,1975,plastic,55.79,49.12,nowhere\n'
        )
        result = building_import(municipality=city, source=csv_bytes(text))
        assert (result.format, result.created, result.failed) == ("own", 2, 1)
        rows = {(i.row, i.field): i for i in result.errors}
        assert rows[(3, "address")].fatal
        assert not rows[(4, "floors_max")].fatal
        assert "expected one of" in rows[(4, "wall_material")].reason
        assert rows[(4, "district")].reason == "no such district"
        b3 = Building.objects.get(external_id="a3")
        assert (
            b3.floors_max is None and b3.wall_material == "" and b3.district.slug == "vakhitovsky"
        )

    def test_xlsx_import_and_reimport(self, city):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(
            ["external_id", "address", "street", "house_number", "floors_max", "area_total"]
        )
        sheet.append(["x1", "г. Казань, ул. Пушкина, д. 5", "ул. Пушкина", "5", 5, 1234.5])
        sheet.append(["x2", None, None, None, 3, None])
        sheet.append(["x3", "г. Казань, ул. Пушкина, д. 7", None, None, "abc", "12,5"])
        out = io.BytesIO()
        workbook.save(out)
        # when
        first = building_import(
            municipality=city, source=io.BytesIO(out.getvalue()), filename="b.xlsx"
        )
        second = building_import(
            municipality=city, source=io.BytesIO(out.getvalue()), filename="b.xlsx"
        )
        # then
        assert (first.created, first.failed) == (2, 1)
        assert [(i.row, i.field) for i in first.errors] == [(3, "address"), (4, "floors_max")]
        assert (second.created, second.unchanged, second.failed) == (0, 2, 1)
        x3 = Building.objects.get(external_id="x3")
        assert (x3.street, x3.house_number, x3.area_total) == ("ул. Пушкина", "7", Decimal("12.50"))

    def test_unreadable_files(self, city):
        with pytest.raises(ImportFileError):
            building_import(municipality=city, source=csv_bytes(""))
        with pytest.raises(ImportFileError):
            building_import(municipality=city, source=csv_bytes("foo,bar\n1,2\n"))
        with pytest.raises(ImportFileError):
            building_import(
                municipality=city, source=io.BytesIO(b"PK\x03\x04garbage"), filename="x.xlsx"
            )
        with pytest.raises(ImportFileError):
            building_import(municipality=city, source="/nonexistent/file.csv")


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_import_round_trip(city, fmt):
    # given
    manager = OrganisationFactory(municipality=city, name='ООО "УК Дом"')
    originals = [
        BuildingFactory(
            municipality=city,
            external_id=f"e{i}",
            street="ул. Баумана",
            house_number=str(i + 1),
            area_total=Decimal("1000.25"),
            wall_material="brick",
            has_garbage_chute=bool(i % 2),
            is_emergency=i == 0,
            management_company=manager,
            management_since="2019-03-01",
        )
        for i in range(3)
    ]
    originals.append(BuildingFactory(municipality=city, street="ул. Лесная", house_number="9"))
    for building in originals:  # derive search text, H3 cell and district as services do
        building_update(building=building)
    out = io.BytesIO()
    building_export(municipality=city, out=out, fmt=fmt)
    data = out.getvalue()
    # when: back into the same municipality
    same = building_import(municipality=city, source=io.BytesIO(data), filename=f"b.{fmt}")
    # then
    assert (same.created, same.updated, same.unchanged, same.failed) == (0, 0, 4, 0), same.errors
    # when: into another municipality
    other = MunicipalityFactory(slug="other")
    result = building_import(municipality=other, source=io.BytesIO(data), filename=f"b.{fmt}")
    assert (result.created, result.failed) == (4, 0), result.errors
    copy = Building.objects.get(municipality=other, external_id="e0")
    original = originals[0]
    for name in (
        "street",
        "house_number",
        "area_total",
        "wall_material",
        "is_emergency",
        "has_garbage_chute",
        "lat",
        "lon",
        "year_built",
        "floors_max",
        "search_text",
    ):
        assert getattr(copy, name) == getattr(original, name), name
    assert copy.management_company.name == 'ООО "УК Дом"'
    assert copy.management_company.municipality == other
    assert copy.management_since.isoformat() == "2019-03-01"


def test_an_xlsx_with_a_damaged_sheet_is_a_clear_file_error():
    data = xlsx_damaged([["external_id", "address"], ["1", "ул. Баумана, 12"]], from_row=2)
    with pytest.raises(ImportFileError, match="damaged"):
        table_read(io.BytesIO(data), filename="b.xlsx")
