"""Appeals: categories and their rules (as data), the appeals, their events, photos and support.

Importing the package imports every model, so Django finds them all; callers import them from
here (``from opencity.appeals.models import Appeal``).
"""

from opencity.appeals.models.appeal import Appeal, AppealNumberCounter
from opencity.appeals.models.categories import Category, CategoryQuestion, DeadlinePolicy
from opencity.appeals.models.choices import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    Channel,
    ContactPreference,
    EventKind,
    PhotoKind,
    Priority,
    QuestionType,
    ResponsibleKind,
    Stage,
    Status,
)
from opencity.appeals.models.history import AppealEvent, AppealPhoto, AppealSupport, _photo_path

__all__ = [
    "FINAL_STATUSES",
    "OPEN_STATUSES",
    "Appeal",
    "AppealEvent",
    "AppealNumberCounter",
    "AppealPhoto",
    "AppealSupport",
    "Category",
    "CategoryQuestion",
    "Channel",
    "ContactPreference",
    "DeadlinePolicy",
    "EventKind",
    "PhotoKind",
    "Priority",
    "QuestionType",
    "ResponsibleKind",
    "Stage",
    "Status",
    # The migrations name the upload path ``opencity.appeals.models._photo_path``.
    "_photo_path",
]
