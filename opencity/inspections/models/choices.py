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


class ActStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    SUPERSEDED = "superseded", _("Superseded by a correction")


class CommissionRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")


class DefectPlace(models.TextChoices):
    ENTRANCE = "entrance", _("Entrance")
    FLOOR = "floor", _("Storey")
    APARTMENT = "apartment", _("Apartment")
    FACADE = "facade", _("Facade")
    ROOF = "roof", _("Roof")
    BASEMENT = "basement", _("Basement")
    ATTIC = "attic", _("Attic")


class FacadeSide(models.TextChoices):
    STREET = "street", _("Street side")
    YARD = "yard", _("Yard side")
    END = "end", _("End wall")
    NORTH = "north", _("North")
    EAST = "east", _("East")
    SOUTH = "south", _("South")
    WEST = "west", _("West")


class SizeUnit(models.TextChoices):
    SQUARE_METRE = "m2", _("m²")
    METRE = "m", _("m")
    CUBIC_METRE = "m3", _("m³")
    PIECE = "pcs", _("pcs")


class DefectUrgency(models.TextChoices):
    NORMAL = "normal", _("Planned repair")
    URGENT = "urgent", _("Urgent: a danger or damage now")


class WorkKind(models.TextChoices):
    CURRENT_REPAIR = "current_repair", _("Current repair")
    HEATING_SEASON = "heating_season", _("Preparation for the heating season")
    CAPITAL_REPAIR = "capital_repair", _("Candidate for capital repair")


class WorkItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    NOT_DONE = "not_done", _("Not done")
    CANCELLED = "cancelled", _("Withdrawn by a correction of the act")


class WearRecordSource(models.TextChoices):
    ACT = "act", _("Signed act")
    RECOMPUTED = "recomputed", _("Recomputed under a new methodology version")


class InspectionEventKind(models.TextChoices):
    ACT_STARTED = "act_started", _("Act started")
    COMMISSION_SET = "commission_set", _("Commission set")
    ELEMENT_OBSERVED = "element_observed", _("Element observed")
    ELEMENT_OVERRIDDEN = "element_overridden", _("Element wear overridden")
    DEFECT_ADDED = "defect_added", _("Defect added")
    DEFECT_REMOVED = "defect_removed", _("Defect removed")
    WORK_ADDED = "work_added", _("Work added")
    WORK_REMOVED = "work_removed", _("Work removed")
    WORK_CHECKED = "work_checked", _("Previous work checked")
    ACT_SIGNED = "act_signed", _("Act signed")
    ACT_CORRECTED = "act_corrected", _("Correction started")
    WORK_ITEM_MARKED = "work_item_marked", _("Work item marked")
    WEAR_RECOMPUTED = "wear_recomputed", _("Wear recomputed")
    OFFER_ACCEPTED = "offer_accepted", _("Extraordinary inspection accepted")
    OVERDUE = "overdue", _("Inspection overdue")
    ESCALATED = "escalated", _("Overdue inspection escalated")
    PARTIAL_PLANNED = "partial_planned", _("Partial inspection planned")
