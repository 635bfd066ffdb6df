"""Reads of meters and readings: the resident's meters and windows, histories and their chart,
the staff's figures and flagged readings, and the rows of the billing export.

Callers write ``from opencity.meters import selectors`` then ``selectors.meter_...(...)``;
inside the app, import from the submodule.
"""

from opencity.meters.selectors.billing import EXPORT_COLUMNS, billing_rows
from opencity.meters.selectors.common import (
    meter_facts,
    meter_limits,
    meter_rules_get,
    meter_verification_due,
    meter_verification_overdue,
    period_latest,
    reading_latest,
    window_for,
    window_now,
)
from opencity.meters.selectors.history import (
    CHART_HEIGHT,
    CHART_TOP,
    CHART_WIDTH,
    Bar,
    consumption_chart,
    meter_history,
)
from opencity.meters.selectors.resident import (
    ApartmentMeters,
    MeterCard,
    meter_get_for_resident,
    resident_meters,
)
from opencity.meters.selectors.staff import (
    PeriodFigures,
    import_get,
    import_list,
    meter_get_for_staff,
    meter_get_for_user,
    meter_list_for_staff,
    period_figures,
    readings_flagged,
)

__all__ = [
    "CHART_HEIGHT",
    "CHART_TOP",
    "CHART_WIDTH",
    "EXPORT_COLUMNS",
    "ApartmentMeters",
    "Bar",
    "MeterCard",
    "PeriodFigures",
    "billing_rows",
    "consumption_chart",
    "import_get",
    "import_list",
    "meter_facts",
    "meter_get_for_resident",
    "meter_get_for_staff",
    "meter_get_for_user",
    "meter_history",
    "meter_limits",
    "meter_list_for_staff",
    "meter_rules_get",
    "meter_verification_due",
    "meter_verification_overdue",
    "period_figures",
    "period_latest",
    "reading_latest",
    "readings_flagged",
    "resident_meters",
    "window_for",
    "window_now",
]
