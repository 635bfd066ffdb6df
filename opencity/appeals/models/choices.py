"""The appeals' enums: priorities, statuses, channels, stages, event and photo kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Priority(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")


class ResponsibleKind(models.TextChoices):
    BUILDING_MANAGER = "building_manager", _("The building's management company")
    UTILITY = "utility", _("The utility provider of the resource")
    TERRITORY = "territory", _("The organisation serving the territory")
    CITY_DEPARTMENT = "city_department", _("A city department")
    DISPATCH = "dispatch", _("The dispatchers decide")


class Stage(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    RESPOND = "respond", _("Contain / respond")
    RESOLVE = "resolve", _("Resolve")


class QuestionType(models.TextChoices):
    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLE = "singlevaluelist", _("One of a list")
    MULTI = "multivaluelist", _("Several of a list")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    MODERATION = "moderation", _("On moderation")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    CLARIFICATION = "clarification", _("Awaiting the resident's answer")
    RESOLVED = "resolved", _("Resolved, awaiting confirmation")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged into another")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = frozenset(
    {
        Status.REGISTERED,
        Status.MODERATION,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.CLARIFICATION,
        Status.RESOLVED,
        Status.REOPENED,
    }
)
FINAL_STATUSES = frozenset({Status.CLOSED, Status.MERGED, Status.CANCELLED})


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    PHONE = "phone", _("Phone call")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")
    CHATBOT = "chatbot", _("Chat bot")
    # Filed by an inspection commission from an urgent defect of its act.
    INSPECTION = "inspection", _("Inspection")


class ContactPreference(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("SMS")
    TELEGRAM = "telegram", _("Telegram")
    NONE = "none", _("Do not contact me")


class EventKind(models.TextChoices):
    CREATED = "created", _("Registered")
    ROUTED = "routed", _("Sent to an organisation")
    REROUTED = "rerouted", _("Sent to another organisation")
    UNROUTED = "unrouted", _("Returned to the dispatchers")
    DECLINED = "declined", _("Declined by the organisation")
    STATUS = "status", _("Status changed")
    ASSIGNED = "assigned", _("Executor assigned")
    COMMENT = "comment", _("Comment")
    QUESTION = "question", _("Question to the resident")
    ANSWER = "answer", _("The resident answered")
    RESOLVED = "resolved", _("Work reported")
    CONFIRMED = "confirmed", _("Confirmed by the resident")
    REJECTED = "rejected", _("Rejected by the resident")
    AUTO_CLOSED = "auto_closed", _("Closed automatically")
    MERGED = "merged", _("Merged as a duplicate")
    CANCELLED = "cancelled", _("Cancelled by the resident")
    SUPPORTED = "supported", _("Another resident joined")
    OVERDUE = "overdue", _("Deadline missed")
    ESCALATED = "escalated", _("Escalated")
    PRIORITY = "priority", _("Priority changed")


class PhotoKind(models.TextChoices):
    RESIDENT = "resident", _("From the resident")
    REPORT = "report", _("Work report")
