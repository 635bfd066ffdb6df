"""The staff area's navigation: which sections each role sees, and where they lead."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from opencity.accounts.models import Role
from opencity.inspections.selectors.offers import season_progress_has_any


@dataclass(frozen=True)
class Section:
    """A staff section; url_name is reversed at render time, and a feature that is not installed
    is left out of the navigation. queue names the appeal queue whose figures the overview shows."""

    key: str
    label: str
    url_name: str
    description: str = ""
    queue: str = ""


SECTIONS: dict[str, Section] = {
    section.key: section
    for section in (
        Section(
            "appeals_queue",
            _("Appeals queue"),
            "appeals:queue",
            _("New and overdue appeals waiting for routing"),
            queue="dispatch",
        ),
        Section(
            "phone_intake",
            _("Phone intake"),
            "appeals:phone_intake",
            _("Register an appeal taken by phone"),
        ),
        Section(
            "organisation_queue",
            _("Organisation queue"),
            "appeals:organisation_queue",
            _("Appeals assigned to your organisation"),
            queue="organisation",
        ),
        Section(
            "my_tasks",
            _("My tasks"),
            "appeals:my_tasks",
            _("Appeals assigned to you for execution"),
            queue="assigned",
        ),
        Section(
            "organisation_staff",
            _("Staff"),
            "organisations:staff",
            _("People of your organisation and their roles"),
        ),
        Section(
            "inspections",
            _("Inspections"),
            "inspections:list",
            _("Scheduled inspections and their acts"),
        ),
        Section(
            "inspections_today",
            _("Today's inspections"),
            "inspections:today",
            _("Your inspections due now, on a route"),
        ),
        Section(
            "inspection_progress",
            _("Season progress"),
            "inspections:progress",
            _("Inspections done, due and overdue per building"),
        ),
        Section(
            "capital_repair",
            _("Capital repair"),
            "inspections:capital_repair",
            _("Buildings proposed for capital repair by class, exportable"),
        ),
        Section(
            "wear_map",
            _("Wear map"),
            "inspections:wear_map",
            _("Buildings by condition and capital-repair class"),
        ),
        Section(
            "analytics",
            _("Analytics"),
            "analytics:dashboard",
            _("Figures on appeals, deadlines and organisations"),
        ),
        Section(
            "monitor",
            _("Monitoring centre"),
            "analytics:monitor",
            _("The city right now: emergencies, overdue appeals, intake, alerts, outages"),
        ),
        Section(
            "chatbot_stats",
            _("Chat bot"),
            "chatbot:stats",
            _("Who uses the bot, dialogs, appeals and where people drop off"),
        ),
        Section(
            "administration",
            _("Administration"),
            "admin:index",
            _("Manage the municipality's data in the administration site"),
        ),
        Section(
            "organisations",
            _("Organisations"),
            "admin:organisations_organisation_changelist",
            _("Management companies, utilities, contractors and departments"),
        ),
        Section(
            "users",
            _("Users"),
            "admin:accounts_user_changelist",
            _("Residents and staff accounts"),
        ),
        Section(
            "api_keys",
            _("API keys"),
            "organisations:api_keys",
            _("Keys for your organisation's systems to use the API and Open311"),
        ),
        Section(
            "outages",
            _("Outages"),
            "outages:staff_list",
            _("Announce outages, report restoration, the interruption report"),
        ),
        Section(
            "meters",
            _("Meter readings"),
            "meters:staff_home",
            _("Meters, readings, imports and exports for billing"),
        ),
        Section(
            "buildings",
            _("Buildings"),
            "buildings:search",
            _("Search the registry of technical passports"),
        ),
    )
}

SUPERUSER = "superuser"

# The sections each role sees, in display order.
NAVIGATION: dict[str, tuple[str, ...]] = {
    Role.DISPATCHER: ("appeals_queue", "phone_intake", "monitor", "outages", "buildings"),
    Role.ORG_MANAGER: (
        "organisation_queue",
        "analytics",
        "organisation_staff",
        "outages",
        "meters",
        "api_keys",
        "inspection_progress",
        "buildings",
    ),
    Role.ORG_EXECUTOR: ("my_tasks", "outages", "buildings"),
    Role.INSPECTOR: ("inspections_today", "inspections", "buildings"),
    Role.ANALYST: (
        "analytics",
        "monitor",
        "inspection_progress",
        "capital_repair",
        "wear_map",
        "chatbot_stats",
        "buildings",
    ),
    Role.MUNICIPAL_ADMIN: (
        "administration",
        "analytics",
        "monitor",
        "organisations",
        "outages",
        "meters",
        "api_keys",
        "inspection_progress",
        "capital_repair",
        "wear_map",
        "chatbot_stats",
        "buildings",
        "users",
    ),
    SUPERUSER: (
        "administration",
        "appeals_queue",
        "phone_intake",
        "organisation_queue",
        "inspections",
        "inspection_progress",
        "capital_repair",
        "wear_map",
        "analytics",
        "monitor",
        "chatbot_stats",
        "outages",
        "meters",
        "organisations",
        "buildings",
        "users",
    ),
}


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    description: str
    url: str
    active: bool = False
    queue: str = ""


def navigation_role(*, user) -> str | None:
    """Return the navigation key for the user: a staff role, 'superuser', or None."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return SUPERUSER
    return user.role if user.role in NAVIGATION else None


def _reverse(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


# Sections shown only to those who have something there (a utility's manager manages no
# building's inspections: no "Season progress" leading to an empty page).
SHOWN_IF = {
    "inspection_progress": lambda user: season_progress_has_any(user=user),
}


def navigation_for_user(*, user, current_path: str = "") -> list[NavItem]:
    """Build the user's staff navigation; sections whose feature is not installed are left out."""
    role = navigation_role(user=user)
    if role is None:
        return []
    items = []
    for key in NAVIGATION[role]:
        section = SECTIONS[key]
        url = _reverse(section.url_name)
        if url is None:
            continue  # never a "not yet available" stub in the navigation
        if key in SHOWN_IF and not SHOWN_IF[key](user):
            continue
        active = bool(url) and url != "/" and current_path.startswith(url)
        items.append(
            NavItem(
                key=section.key,
                label=section.label,
                description=section.description,
                url=url,
                active=active,
                queue=section.queue,
            )
        )
    return items
