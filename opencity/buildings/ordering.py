"""Addresses in the order people read them: house 5 before 48 before 50 к1 before 100.

House numbers are text ('12а', '50 к1', '7/2'); ordered as text, 100 comes before 5. Each
list of buildings orders by street, then the house number's leading number, then the text.
"""

from __future__ import annotations

import re

from django.db.models import BigIntegerField, F, Func


class LeadingNumber(Func):
    """The number a text starts with ('50 к1' → 50, '12а' → 12); 0 when it starts otherwise."""

    arity = 1
    output_field = BigIntegerField()

    def as_sql(self, compiler, connection, **extra):
        # PostgreSQL: the leading digits (at most nine, so the cast cannot overflow).
        template = "COALESCE(CAST(SUBSTRING(%(expressions)s FROM '^[0-9]{1,9}') AS BIGINT), 0)"
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite's CAST of a text reads its leading number and stops at the first non-digit.
        return super().as_sql(compiler, connection, template="CAST(%(expressions)s AS INTEGER)")


def address_order(prefix: str = "") -> list:
    """Return the order_by() terms of buildings in natural address order."""
    # `prefix` reaches the building from another model ('building__').
    return [
        F(f"{prefix}street").asc(),
        LeadingNumber(F(f"{prefix}house_number")).asc(),
        F(f"{prefix}house_number").asc(),
        LeadingNumber(F(f"{prefix}corpus")).asc(),
        F(f"{prefix}corpus").asc(),
        F(f"{prefix}structure").asc(),
        F(f"{prefix}id").asc(),
    ]


def address_natural_key(text: str) -> tuple:
    """Sort key of an address text in Python: its numbers compare as numbers ('д. 5' < 'д. 48')."""
    parts = re.split(r"(\d+)", text.casefold())
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in parts)
