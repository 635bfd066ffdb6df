from django.db import models
from django.utils.translation import gettext_lazy as _


class MethodologyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("In force")
    RETIRED = "retired", _("Superseded")


class SourceStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("As stated in the source")
    UNCONFIRMED = "unconfirmed", _("Not confirmed (the source marks it “?” or it is a copy)")
    PLACEHOLDER = "placeholder", _("Placeholder: fill in from the official text")


class ElementKind(models.TextChoices):
    STRUCTURE = "structure", _("Structural element")
    SYSTEM = "system", _("Engineering system")


class Scale(models.TextChoices):
    CONDITION = "condition", _("Condition by wear")
    CAPITAL_REPAIR = "capital_repair", _("Capital-repair class")
    TECHNICAL = "technical", _("Technical-condition category (ГОСТ 31937)")


class SeasonKind(models.TextChoices):
    SPRING = "spring", _("Spring inspection")
    AUTUMN = "autumn", _("Autumn inspection")


class InspectionKind(models.TextChoices):
    SPRING = "spring", _("Spring inspection")
    AUTUMN = "autumn", _("Autumn inspection")
    EXTRAORDINARY = "extraordinary", _("Extraordinary inspection")
    PARTIAL = "partial", _("Partial inspection")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ASSIGNED = "assigned", _("Assigned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
