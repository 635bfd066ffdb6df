import datetime as dt
import io
import zipfile

import factory
from openpyxl import Workbook

from opencity.buildings.addresses import address_search_text
from opencity.buildings.models import Apartment, Building, Entrance
from opencity.buildings.services import building_assign_management_company
from opencity.core.tests.factories import MunicipalityFactory
from opencity.organisations.tests.factories import OrganisationFactory


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    municipality = factory.SubFactory(MunicipalityFactory)
    street = factory.Sequence(lambda n: f"ул. Тестовая {n}")
    house_number = factory.Sequence(lambda n: str(n % 200 + 1))
    address = factory.LazyAttribute(lambda o: f"г. Казань, {o.street}, д. {o.house_number}")
    search_text = factory.LazyAttribute(
        lambda o: f"{o.street} {o.house_number}".lower().replace("ё", "е")
    )
    lat = 55.79
    lon = 49.12
    year_built = 1975
    floors_max = 9


class EntranceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entrance

    building = factory.SubFactory(BuildingFactory)
    municipality = factory.SelfAttribute("building.municipality")
    number = factory.Sequence(lambda n: n + 1)


class ApartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Apartment

    building = factory.SubFactory(BuildingFactory)
    municipality = factory.SelfAttribute("building.municipality")
    number = factory.Sequence(lambda n: str(n + 1))


def _search_text(o) -> str:
    return address_search_text(street=o.street, house_number=o.house_number, corpus=o.corpus)


class ManagedBuildingFactory(BuildingFactory):
    """A building with a derived search text and a management company under contract."""

    class Meta:
        skip_postgeneration_save = True

    corpus = ""
    search_text = factory.LazyAttribute(_search_text)

    @factory.post_generation
    def manager(obj, create, extracted, **kwargs):
        if not create:
            return
        organisation = extracted or OrganisationFactory(municipality=obj.municipality)
        building_assign_management_company(
            building=obj,
            organisation=organisation,
            start_date=kwargs.get("since", dt.date(2018, 1, 1)),
        )


def xlsx_damaged(rows: list[list], *, from_row: int) -> bytes:
    """Return an XLSX of the rows whose sheet XML breaks at a row (1-based): it opens, then fails."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    whole = io.BytesIO()
    book.save(whole)
    damaged = io.BytesIO()
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(f'<row r="{from_row}"'.encode(), b'<row r="0"<<broken')
            target.writestr(item, data)
    return damaged.getvalue()
