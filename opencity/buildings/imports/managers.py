"""Match the management companies a registry import names, creating the missing ones.

A company is found by its Реформа ЖКХ profile id (the link's last number) or by its name
folded for matching (`organisation_name_key`: case, quotes, ё and spacing do not count);
one the city lacks is created, its kind guessed from the name (an HOA for ТСЖ, ЖСК …).
"""

from __future__ import annotations

import re

from opencity.core.models import Municipality
from opencity.core.refcache import refcache_changed
from opencity.organisations.legal_forms import organisation_kind_guess
from opencity.organisations.models import BUILDING_MANAGER_KINDS, Organisation

_QUOTES = re.compile(r"[\"'«»“”„`]")
_PROFILE_ID = re.compile(r"(\d+)/?$")


def organisation_name_key(name: str) -> str:
    """Fold an organisation name for matching: case, quotes, ё and spacing do not count."""
    text = _QUOTES.sub(" ", name.lower().replace("ё", "е"))
    return " ".join(text.split())


class Managers:
    """Match management companies by name (or Реформа profile id), creating missing ones."""

    def __init__(self, municipality: Municipality):
        self.municipality = municipality
        self.by_key: dict[str, Organisation] = {}
        self.created = 0
        for org in Organisation.objects.filter(
            municipality=municipality, kind__in=BUILDING_MANAGER_KINDS
        ).order_by("id"):
            for name in (org.name, org.short_name):
                if name:
                    self.by_key.setdefault(organisation_name_key(name), org)
            if org.external_id:
                self.by_key.setdefault(f"ext:{org.external_id}", org)
        # Ids taken by organisations of other kinds (a utility with the same profile).
        self.taken_ids = set(
            Organisation.objects.filter(municipality=municipality)
            .exclude(external_id="")
            .values_list("external_id", flat=True)
        )

    def _lookup(self, name: str, link: str) -> tuple[Organisation | None, str, str]:
        """Find the organisation a row names: (found or None, its name key, its external id)."""
        external_id = ""
        match = _PROFILE_ID.search(link or "")
        if match:
            external_id = f"reforma:{match.group(1)}"
            if f"ext:{external_id}" in self.by_key:
                return self.by_key[f"ext:{external_id}"], "", external_id
        key = organisation_name_key(name)
        return self.by_key.get(key), key, external_id

    def _new(self, name: str, link: str, external_id: str) -> Organisation:
        if external_id in self.taken_ids:
            external_id = ""  # the id belongs to an organisation of another kind
        if external_id:
            self.taken_ids.add(external_id)
        return Organisation(
            municipality=self.municipality,
            kind=organisation_kind_guess(name=name),
            name=name,
            website=link if link.startswith("http") and len(link) <= 200 else "",
            external_id=external_id,
        )

    def _remember(self, org: Organisation, key: str) -> None:
        self.created += 1
        self.by_key[key] = org
        if org.external_id:
            self.by_key[f"ext:{org.external_id}"] = org

    def create_missing(self, wanted: list[tuple[str, str]]) -> None:
        """Create every organisation the (name, link) pairs name and we lack, in one INSERT."""
        new: list[Organisation] = []
        for name, link in wanted:
            org, key, external_id = self._lookup(name, link)
            if org is None:
                # Known from here on, as get() would know it: the next row finds this one.
                org = self._new(name, link, external_id)
                self._remember(org, key)
                new.append(org)
        if new:
            Organisation.objects.bulk_create(new)
            refcache_changed()  # bulk_create sends no post_save: the cache must hear of them

    def get(self, name: str, link: str = "") -> Organisation:
        org, key, external_id = self._lookup(name, link)
        if org is None:
            org = self._new(name, link, external_id)
            org.save()
            self._remember(org, key)
        return org
