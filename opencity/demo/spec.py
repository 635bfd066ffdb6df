"""What a demo municipality is made of: plain, immutable data the generator reads."""

from __future__ import annotations

from dataclasses import dataclass, field

Weighted = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class DistrictSpec:
    slug: str
    name: str
    # Genitive form for organisation names: "УК ЖКХ Вахитовского района".
    genitive: str
    # Exterior ring in lon/lat order, closed (first point == last point).
    polygon: tuple[tuple[float, float], ...]
    # Share of the city's buildings that stand in this district.
    weight: float
    # Building profile key (see data/profiles.py) → weight.
    profiles: Weighted
    streets: tuple[str, ...]
    postcodes: tuple[int, int]
    cadastral_quarter: int


@dataclass(frozen=True)
class ManagerSpec:
    """A management company or a homeowners' association and the districts it works in."""

    name: str
    short_name: str
    kind: str = "management_company"
    districts: tuple[str, ...] = ()
    weight: float = 2.0


@dataclass(frozen=True)
class UtilitySpec:
    name: str
    short_name: str
    resources: tuple[str, ...]
    # District slugs served; empty means the whole municipality.
    districts: tuple[str, ...] = ()


@dataclass(frozen=True)
class DepartmentSpec:
    name: str
    short_name: str
    area: str


@dataclass(frozen=True)
class DemoUserSpec:
    role: str
    login: str  # an e-mail or a +7 phone
    full_name: str
    # Short name of the organisation the user is a member of (organisation roles only).
    organisation: str = ""
    position: str = ""


@dataclass(frozen=True)
class CitySpec:
    slug: str
    name: str
    code: str
    time_zone: str
    subdivision: str
    center: tuple[float, float]  # lat, lon
    zoom: int
    hosts: str
    # Address prefix of every building: "Респ. Татарстан, г. Казань".
    address_prefix: str
    phone_code: str
    email_domain: str
    districts: tuple[DistrictSpec, ...]
    managers: tuple[ManagerSpec, ...]
    utilities: tuple[UtilitySpec, ...]
    departments: tuple[DepartmentSpec, ...]
    dispatch_name: str
    dispatch_short_name: str
    # "Администрация {genitive} района г. Казани"; empty: no district administrations.
    district_admin_name: str
    contractors: int
    default_buildings: int
    # Leading digits of personal account numbers, unique per municipality.
    account_prefix: str
    # Cadastral region and district: "16:50" is Kazan in Rosreestr numbering.
    cadastral_prefix: str
    users: tuple[DemoUserSpec, ...] = field(default=())
