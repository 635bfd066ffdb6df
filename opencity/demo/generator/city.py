"""Plan a whole demo municipality as unsaved model instances, from a seed alone."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from opencity.buildings.addresses import (
    address_locality_text,
    address_parse,
    address_search_text,
    locality_key,
)
from opencity.buildings.models import Apartment, Building, Entrance, PersonalAccount
from opencity.core.geo import h3_cell
from opencity.core.models import District, Municipality
from opencity.demo.data.profiles import PROFILES
from opencity.demo.generator.geometry import DistrictArea, StreetLayout
from opencity.demo.generator.organisations import OrganisationPlan, OrganisationPlanner
from opencity.demo.generator.passports import pick, plan_passport
from opencity.demo.spec import CitySpec, DistrictSpec
from opencity.organisations.models import ManagementContract, Organisation

# Management companies took over buildings once the 2005 Housing Code allowed them to.
FIRST_CONTRACT_YEAR = 2006


@dataclass
class CityPlan:
    municipality: Municipality
    districts: list[District]
    organisations: OrganisationPlan
    buildings: list[Building] = field(default_factory=list)
    contracts: list[ManagementContract] = field(default_factory=list)
    entrances: list[Entrance] = field(default_factory=list)
    apartments: list[Apartment] = field(default_factory=list)
    accounts: list[PersonalAccount] = field(default_factory=list)


def split_counts(total: int, weights: list[float]) -> list[int]:
    """Share a total out by weights with the largest-remainder method (exact, deterministic)."""
    raw = [total * w / sum(weights) for w in weights]
    counts = [int(x) for x in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


class HouseNumbers:
    """Hand out house numbers along each street: 1, 3, 4, 4а, 7 к1, 7 к2 ..."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}
        self._queued: dict[str, list[tuple[str, str]]] = {}

    def take(self, rng: random.Random, street: str) -> tuple[str, str]:
        queued = self._queued.setdefault(street, [])
        if queued:
            return queued.pop(0)
        number = self._next.get(street) or rng.randint(1, 5)
        self._next[street] = number + rng.choice((1, 2, 2, 2, 3, 4))
        roll = rng.random()
        if roll < 0.10:
            last = rng.randint(2, 4)
            queued.extend((str(number), str(c)) for c in range(2, last + 1))
            return str(number), "1"
        if roll < 0.14:
            queued.append((f"{number}а", ""))
        return str(number), ""


@dataclass
class _DistrictState:
    spec: DistrictSpec
    district: District
    area: DistrictArea
    street_weights: list[float]
    layouts: dict[str, StreetLayout] = field(default_factory=dict)
    companies: list[tuple[Organisation, float]] = field(default_factory=list)
    associations: list[Organisation] = field(default_factory=list)


class CityGenerator:
    def __init__(
        self,
        spec: CitySpec,
        *,
        seed: int,
        buildings: int,
        today: dt.date,
        apartment_buildings: int = 300,
    ):
        self.spec = spec
        self.seed = seed
        self.building_count = buildings
        self.today = today
        self.apartment_buildings = apartment_buildings

    def _rng(self, part: str) -> random.Random:
        # Separate streams: organisations do not change when the building count does.
        return random.Random(f"opencity-demo:{self.seed}:{self.spec.slug}:{part}")

    def plan(self) -> CityPlan:
        spec = self.spec
        municipality = Municipality(
            slug=spec.slug,
            name=spec.name,
            code=spec.code,
            hosts=spec.hosts,
            time_zone=spec.time_zone,
            country="RU",
            subdivision=spec.subdivision,
            center_lat=spec.center[0],
            center_lon=spec.center[1],
            default_zoom=spec.zoom,
        )
        geo_rng = self._rng("districts")
        states: list[_DistrictState] = []
        for d_spec in spec.districts:
            area = DistrictArea(d_spec.polygon)
            district = District(
                municipality=municipality,
                name=d_spec.name,
                slug=d_spec.slug,
                boundary=area.geojson(),
            )
            weights = [round(geo_rng.uniform(0.4, 2.0), 3) for _ in d_spec.streets]
            states.append(_DistrictState(d_spec, district, area, weights))
        organisations = OrganisationPlanner(
            self._rng("organisations"),
            spec,
            municipality,
            [(s.spec, s.district) for s in states],
        ).build()
        for state in states:
            for manager, org in organisations.managers:
                if state.spec.slug not in manager.districts:
                    continue
                if manager.kind == "hoa":
                    state.associations.append(org)
                else:
                    state.companies.append((org, manager.weight))
        plan = CityPlan(municipality, [s.district for s in states], organisations)
        self._plan_buildings(plan, states)
        return plan

    def _plan_buildings(self, plan: CityPlan, states: list[_DistrictState]) -> None:
        rng = self._rng("buildings")
        spec = self.spec
        counts = split_counts(self.building_count, [s.spec.weight for s in states])
        order = [i for i, n in enumerate(counts) for _ in range(n)]
        rng.shuffle(order)
        numbers = HouseNumbers()
        updated_at = dt.datetime.combine(self.today, dt.time(6, 0), tzinfo=dt.UTC)
        # The settlement of the city's addresses: labels and search show it where it is not
        # the municipality's own town (a demo city is one town, so they read as before).
        place = address_parse(spec.address_prefix)
        locality = address_locality_text(
            locality_type=place.locality_type,
            locality_name=place.locality_name,
            locality_parent=place.locality_parent,
            main=locality_key(spec.name),
        )
        for seq, index in enumerate(order, start=1):
            state = states[index]
            d_spec = state.spec
            profile = PROFILES[pick(rng, d_spec.profiles)]
            street = rng.choices(d_spec.streets, weights=state.street_weights)[0]
            house, corpus = numbers.take(rng, street)
            layout = state.layouts.get(street)
            if layout is None:
                layout = state.layouts[street] = state.area.street_layout(rng)
            lon, lat = layout.next_point(rng)
            passport = plan_passport(
                rng,
                profile=profile,
                ref_year=self.today.year,
                with_flats=seq <= self.apartment_buildings,
            )
            address = f"{spec.address_prefix}, {street}, д. {house}"
            if corpus:
                address += f", к. {corpus}"
            year = passport.fields["year_built"]
            manager, since = self._manager(rng, state, year, passport.fields["wall_material"])
            quarter = f"{d_spec.cadastral_quarter:02d}{rng.randint(0, 9999):04d}"
            building = Building(
                municipality=plan.municipality,
                external_id=f"demo-{seq:06d}",
                source="demo",
                address=address,
                locality_type=place.locality_type,
                locality_name=place.locality_name,
                locality_parent=place.locality_parent,
                street=street,
                house_number=house,
                corpus=corpus,
                postcode=str(rng.randint(*d_spec.postcodes)),
                district=state.district,
                lat=lat,
                lon=lon,
                h3_cell=h3_cell(lat, lon),
                search_text=address_search_text(
                    street=street, house_number=house, corpus=corpus, locality=locality
                ),
                cadastral_number=f"{spec.cadastral_prefix}:{quarter}:{rng.randint(10, 999)}",
                management_company=manager,
                management_since=since,
                source_updated_at=updated_at - dt.timedelta(days=rng.randint(1, 900)),
                **passport.fields,
            )
            plan.buildings.append(building)
            if manager is not None:
                self._contracts(rng, plan, state, building, manager, since, year)
            entrances = {}
            for e in passport.entrances:
                entrance = Entrance(
                    municipality=plan.municipality,
                    building=building,
                    number=e.number,
                    floors=e.floors,
                    has_lift=e.lifts > 0,
                )
                entrances[e.number] = entrance
                plan.entrances.append(entrance)
            for n, flat in enumerate(passport.flats, start=1):
                apartment = Apartment(
                    municipality=plan.municipality,
                    building=building,
                    entrance=entrances.get(flat.entrance),
                    number=flat.number,
                    floor=flat.floor,
                    area=flat.area,
                    living_area=flat.living_area,
                    rooms=flat.rooms,
                    is_residential=flat.is_residential,
                )
                plan.apartments.append(apartment)
                plan.accounts.append(
                    PersonalAccount(
                        municipality=plan.municipality,
                        apartment=apartment,
                        number=f"{spec.account_prefix}{seq:05d}{n:04d}",
                        provider=manager,
                    )
                )

    def _manager(self, rng, state: _DistrictState, year: int, walls: str):
        """Choose who manages a building and since when (None: residents manage directly)."""
        if walls == "wooden" and rng.random() < 0.2:
            return None, None
        if year >= 1995 and state.associations and rng.random() < 0.08:
            org = rng.choice(state.associations)
        else:
            org = pick(rng, state.companies)
        start_year = min(max(year, rng.randint(FIRST_CONTRACT_YEAR, 2020)), self.today.year)
        since = dt.date(start_year, rng.randint(1, 12), 1)
        return org, min(since, self.today - dt.timedelta(days=1))

    def _contracts(self, rng, plan, state, building, manager, since, year) -> None:
        earliest = max(year, FIRST_CONTRACT_YEAR)
        if since.year >= earliest + 2 and len(state.companies) > 1 and rng.random() < 0.2:
            previous = pick(rng, [(o, w) for o, w in state.companies if o is not manager])
            start = dt.date(earliest, rng.randint(1, 12), 1)
            end = since - dt.timedelta(days=1)
            if start < end:
                plan.contracts.append(
                    ManagementContract(
                        municipality=plan.municipality,
                        organisation=previous,
                        building=building,
                        start_date=start,
                        end_date=end,
                        document=f"Договор управления № {len(plan.contracts) + 1}/{start.year}",
                    )
                )
        plan.contracts.append(
            ManagementContract(
                municipality=plan.municipality,
                organisation=manager,
                building=building,
                start_date=since,
                document=f"Договор управления № {len(plan.contracts) + 1}/{since.year}",
            )
        )
