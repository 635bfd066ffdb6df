"""Organisations of a demo municipality: managers, utilities, contractors, the city's own."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from opencity.core.models import District, Municipality
from opencity.demo.data.names import (
    CONTRACTOR_ROOTS,
    CONTRACTOR_SUFFIXES,
    INITIALS,
    LEGAL_FORMS,
    SURNAMES,
    slugify_ru,
)
from opencity.demo.generator.passports import pick
from opencity.demo.spec import CitySpec, DistrictSpec, ManagerSpec
from opencity.organisations.models import (
    Organisation,
    OrganisationContact,
    OrganisationKind,
    ServiceArea,
)

OFFICE_HOURS = "пн–чт 8:00–17:00, пт 8:00–16:00, обед 12:00–13:00"
ROUND_THE_CLOCK = "круглосуточно"


def inn_for_company(rng: random.Random, region: str = "16") -> str:
    """Draw a 10-digit INN of a legal entity with a valid check digit."""
    digits = [int(c) for c in region] + [rng.randint(0, 9) for _ in range(7)]
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    digits.append(sum(d * w for d, w in zip(digits, weights, strict=True)) % 11 % 10)
    return "".join(map(str, digits))


def ogrn_for_company(rng: random.Random, region: str = "16") -> str:
    """Draw a 13-digit OGRN with a valid check digit."""
    body = f"1{rng.randint(2, 22):02d}{region}{rng.randint(0, 9_999_999):07d}"
    return body + str(int(body) % 11 % 10)


def phone_number(rng: random.Random, code: str) -> str:
    """Draw a landline number in the city's area code: '+7 (843) 212-34-56'."""
    digits = f"{rng.randint(2, 5)}{rng.randint(0, 10 ** (9 - len(code)) - 1):0{9 - len(code)}d}"
    local = code + digits
    return f"+7 ({local[: len(code)]}) {_group(local[len(code) :])}"


def _group(digits: str) -> str:
    if len(digits) == 7:
        return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
    return f"{digits[:1]}-{digits[1:3]}-{digits[3:]}"


@dataclass
class OrganisationPlan:
    organisations: list[Organisation] = field(default_factory=list)
    contacts: list[OrganisationContact] = field(default_factory=list)
    service_areas: list[ServiceArea] = field(default_factory=list)
    # Building managers and their spec, in spec order.
    managers: list[tuple[ManagerSpec, Organisation]] = field(default_factory=list)
    by_short_name: dict[str, Organisation] = field(default_factory=dict)


class OrganisationPlanner:
    def __init__(
        self,
        rng: random.Random,
        spec: CitySpec,
        municipality: Municipality,
        districts: list[tuple[DistrictSpec, District]],
    ):
        self.rng = rng
        self.spec = spec
        self.municipality = municipality
        self.districts = districts
        self.plan = OrganisationPlan()
        self._emails: set[str] = set()
        self._street_numbers: dict[str, int] = {}

    def build(self) -> OrganisationPlan:
        spec = self.spec
        for manager in spec.managers:
            home = self._district_spec(manager.districts[0]) if manager.districts else None
            org = self._add(manager.kind, manager.name, manager.short_name, home, emergency=True)
            self.plan.managers.append((manager, org))
        for utility in spec.utilities:
            org = self._add(OrganisationKind.UTILITY, utility.name, utility.short_name, None, True)
            org.resources = list(utility.resources)
            for d_spec, district in self.districts:
                if utility.districts and d_spec.slug not in utility.districts:
                    continue
                for resource in utility.resources:
                    self._area(org, district, resource)
        if spec.district_admin_name:
            for d_spec, district in self.districts:
                name = spec.district_admin_name.format(genitive=d_spec.genitive)
                short = name.split(" г. ")[0]
                org = self._add(OrganisationKind.DISTRICT_ADMINISTRATION, name, short, d_spec)
                org.district = district
                self._area(org, district)
        for department in spec.departments:
            org = self._add(
                OrganisationKind.CITY_DEPARTMENT, department.name, department.short_name, None
            )
            org.department_area = department.area
            for _, district in self.districts:
                self._area(org, district)
        org = self._add(
            OrganisationKind.EMERGENCY_DISPATCH,
            spec.dispatch_name,
            spec.dispatch_short_name,
            None,
            emergency=True,
            hours=ROUND_THE_CLOCK,
        )
        for _, district in self.districts:
            self._area(org, district)
        for name, short in self._contractor_names(spec.contractors):
            self._add(OrganisationKind.CONTRACTOR, name, short, None)
        return self.plan

    def _district_spec(self, slug: str) -> DistrictSpec:
        return next(d for d, _ in self.districts if d.slug == slug)

    def _office_address(self, home: DistrictSpec | None) -> str:
        district = home or self.districts[self.rng.randrange(len(self.districts))][0]
        street = self.rng.choice(district.streets)
        # Offices get their own numbers from a high range so they never collide with houses.
        number = self._street_numbers.get(street, 200 + self.rng.randint(0, 50))
        self._street_numbers[street] = number + self.rng.randint(1, 4)
        return f"{self.spec.address_prefix}, {street}, д. {number}"

    def _email(self, short_name: str) -> str:
        local = slugify_ru(short_name) or "org"
        candidate, n = local, 1
        while candidate in self._emails:
            n += 1
            candidate = f"{local}-{n}"
        self._emails.add(candidate)
        return f"{candidate}@{self.spec.email_domain}"

    def _add(self, kind, name, short_name, home, emergency=False, hours=OFFICE_HOURS):
        rng = self.rng
        number = len(self.plan.organisations) + 1
        org = Organisation(
            municipality=self.municipality,
            kind=kind,
            name=name,
            short_name=short_name,
            inn=inn_for_company(rng),
            ogrn=ogrn_for_company(rng),
            address=self._office_address(home),
            phone=phone_number(rng, self.spec.phone_code),
            email=self._email(short_name),
            external_id=f"demo-org-{number:04d}",
        )
        self.plan.organisations.append(org)
        self.plan.by_short_name[short_name] = org
        contacts = [
            ("phone", org.phone, "Приёмная"),
            ("email", org.email, ""),
            ("address", org.address, "Офис"),
            ("hours", hours, "Часы приёма"),
        ]
        if emergency:
            emergency_phone = phone_number(rng, self.spec.phone_code)
            contacts.insert(1, ("emergency_phone", emergency_phone, "Аварийная служба"))
        for contact_kind, value, label in contacts:
            self.plan.contacts.append(
                OrganisationContact(
                    municipality=self.municipality,
                    organisation=org,
                    kind=contact_kind,
                    value=value,
                    label=label,
                )
            )
        return org

    def _area(self, org: Organisation, district: District, resource: str = "") -> None:
        self.plan.service_areas.append(
            ServiceArea(
                municipality=self.municipality,
                organisation=org,
                name=district.name,
                district=district,
                resource=resource,
            )
        )

    def _contractor_names(self, count: int) -> list[tuple[str, str]]:
        rng = self.rng
        trade_names = [
            f"{root}{suffix}"
            for root in CONTRACTOR_ROOTS
            for suffix in CONTRACTOR_SUFFIXES
            if root != suffix
        ]
        rng.shuffle(trade_names)
        names: list[tuple[str, str]] = []
        seen: set[str] = set()
        while len(names) < count:
            form = pick(rng, LEGAL_FORMS)
            if form == "ИП":
                surname = rng.choice(SURNAMES)
                short = f"ИП {surname} {rng.choice(INITIALS)}. {rng.choice(INITIALS)}."
                name = short
            else:
                trade = trade_names.pop()
                short = f"{form} «{trade}»"
                name = short
            if short in seen:
                continue
            seen.add(short)
            names.append((name, short))
        return names
