"""Checks of a municipality's settings that the admin, the services and the commands share."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def time_zone_validate(value: str) -> None:
    """Refuse a time zone name the IANA database does not know (e.g. 'Asia/Ekaterinburg')."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("Unknown time zone %(zone)s: use an IANA name such as Europe/Moscow."),
            params={"zone": repr(value)},
            code="time_zone",
        )


def language_codes(value: str) -> list[str]:
    """Split a comma-separated list of language codes."""
    return [code.strip().lower() for code in value.split(",") if code.strip()]


def languages_validate(value: str) -> None:
    """Refuse languages the installation does not offer (blank: all of them)."""
    known = [code for code, _name in settings.LANGUAGES]
    unknown = [code for code in language_codes(value) if code not in known]
    if unknown:
        raise ValidationError(
            _("Languages must be some of %(known)s, separated by commas."),
            params={"known": ", ".join(known)},
            code="languages",
        )
