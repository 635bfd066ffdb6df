"""The demo logins: one password for every demo user, listed for the README and the command."""

from __future__ import annotations

from typing import NamedTuple

from opencity.demo.data import CITIES

DEMO_PASSWORD = "opencity-demo"
SUPERUSER_USERNAME = "admin"


class DemoLogin(NamedTuple):
    municipality: str  # slug; "" for the superuser, who signs in anywhere
    role: str  # a value of accounts.Role, or "superuser"
    login: str
    password: str
    full_name: str


def demo_logins(cities=CITIES) -> list[DemoLogin]:
    """List every demo login, the superuser first, then each city's users."""
    logins = [DemoLogin("", "superuser", SUPERUSER_USERNAME, DEMO_PASSWORD, "Администратор")]
    for city in cities:
        for user in city.users:
            logins.append(
                DemoLogin(city.slug, user.role, user.login, DEMO_PASSWORD, user.full_name)
            )
    return logins


DEMO_LOGINS = demo_logins()


def demo_logins_table(logins=DEMO_LOGINS, *, first_slug: str = "kazan") -> str:
    """Render the logins as a plain-text table with where each one signs in."""
    rows = [("role", "login", "password", "sign in at")]
    for item in logins:
        if not item.municipality or item.municipality == first_slug:
            where = "/accounts/login/"
        else:
            where = f"/m/{item.municipality}/accounts/login/"
        rows.append((item.role, item.login, item.password, where))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
