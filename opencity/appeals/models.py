"""Appeals: categories and their rules (as data), the appeals, their events, photos and support."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opencity.core.calendar import TimeUnit
from opencity.core.models import District, Municipality, MunicipalModel
from opencity.organisations.models import DepartmentArea, OrganisationKind, Resource


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


class Category(MunicipalModel):
    """A kind of problem residents report (an Open311 service), with its routing and deadlines."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    code = models.SlugField(
        _("code"), max_length=64, help_text=_("Stable identifier (Open311 service_code)")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    responsible_kind = models.CharField(
        _("who is responsible"),
        max_length=20,
        choices=ResponsibleKind.choices,
        default=ResponsibleKind.DISPATCH,
    )
    # UTILITY: which resource's provider; TERRITORY: which kind of organisation serves the area;
    # CITY_DEPARTMENT: which department.
    resource = models.CharField(_("resource"), max_length=16, choices=Resource.choices, blank=True)
    territory_kind = models.CharField(
        _("territory organisation kind"),
        max_length=24,
        choices=OrganisationKind.choices,
        blank=True,
    )
    department_area = models.CharField(
        _("department"), max_length=16, choices=DepartmentArea.choices, blank=True
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    needs_building = models.BooleanField(
        _("about a building"),
        default=True,
        help_text=_("Filed against a building (else a point on the map)"),
    )
    photo_required = models.BooleanField(_("photo required"), default=False)
    moderated = models.BooleanField(_("moderated before routing"), default=False)
    duplicate_radius_m = models.PositiveIntegerField(
        _("radius for similar appeals, m"),
        default=150,
        help_text=_("For appeals not tied to a building"),
    )
    auto_close_days = models.PositiveSmallIntegerField(
        _("close automatically after, days"),
        default=5,
        help_text=_("Without the resident's answer to a resolution"),
    )
    reopen_window_days = models.PositiveSmallIntegerField(
        _("may be reopened within, days"), default=30
    )

    # When the row last changed: the Open311 service list's changeset.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="category_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    RESPOND = "respond", _("Contain / respond")
    RESOLVE = "resolve", _("Resolve")


class DeadlinePolicy(MunicipalModel):
    """How long a stage of a category's appeals may take (seeded from the regulations)."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("category")
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    amount = models.PositiveIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=16, choices=TimeUnit.choices)
    # Counted only inside a daily window (e.g. garbage chutes: 08:00–23:00).
    window_start = models.TimeField(_("counted from"), null=True, blank=True)
    window_end = models.TimeField(_("counted until"), null=True, blank=True)
    # Applies in these months only (e.g. "11,12,1,2,3" for winter); blank for all year.
    months = models.CharField(_("months"), max_length=40, blank=True)
    source = models.CharField(_("source (regulation)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["category_id", "stage", "-months"]

    def __str__(self) -> str:
        return (
            f"{self.category}: {self.get_stage_display()} {self.amount} {self.get_unit_display()}"
        )


class QuestionType(models.TextChoices):
    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLE = "singlevaluelist", _("One of a list")
    MULTI = "multivaluelist", _("Several of a list")


class CategoryQuestion(MunicipalModel):
    """An extra typed question asked when filing (an Open311 service-definition attribute)."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="questions", verbose_name=_("category")
    )
    code = models.SlugField(_("code"), max_length=64)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    datatype = models.CharField(_("type"), max_length=16, choices=QuestionType.choices)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # For list types: [{"key": "...", "name": "..."}]
    values = models.JSONField(_("values"), default=list, blank=True)
    # For numbers: the range an answer must lie in (either end may be open).
    min_value = models.DecimalField(
        _("smallest number"), max_digits=15, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("largest number"), max_digits=15, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="question_unique_code"),
            models.CheckConstraint(
                condition=models.Q(min_value__isnull=True)
                | models.Q(max_value__isnull=True)
                | models.Q(min_value__lte=models.F("max_value")),
                name="question_range_ordered",
                violation_error_message=_("The smallest number is above the largest."),
            ),
        ]

    def __str__(self) -> str:
        return self.label


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


class ContactPreference(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("SMS")
    TELEGRAM = "telegram", _("Telegram")
    NONE = "none", _("Do not contact me")


class Appeal(MunicipalModel):
    # Foreign keys whose lone index would only repeat the composite indexes below (which
    # start with the same column): every intake writes each index, so they have none.
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        verbose_name=_("municipality"),
        related_name="+",
        db_index=False,
    )
    number = models.CharField(_("number"), max_length=24)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("category")
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )

    # Who asked. Personal data: never shown publicly.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        db_index=False,
        verbose_name=_("author"),  # appeal_author_idx
    )
    contact_name = models.CharField(_("name"), max_length=200, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_preference = models.CharField(
        _("how to contact"),
        max_length=10,
        choices=ContactPreference.choices,
        default=ContactPreference.EMAIL,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The dispatcher who took the call"),
        verbose_name=_("registered by"),
    )

    # Where.
    building = models.ForeignKey(
        "buildings.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        db_index=False,
        verbose_name=_("building"),  # appeal_building_idx
    )
    apartment_number = models.CharField(_("apartment"), max_length=16, blank=True)
    entrance_number = models.PositiveSmallIntegerField(_("entrance"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=400, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    h3_cell = models.CharField(max_length=16, blank=True, verbose_name=_("H3 cell"))
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )

    # What.
    description = models.TextField(_("description"))
    answers = models.JSONField(_("answers to the category's questions"), default=dict, blank=True)

    # Who works on it. No organisation means the dispatchers' queue.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("organisation"),
    )
    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("executor"),
    )

    # The clock.
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, blank=True)
    deadline_at = models.DateTimeField(_("current deadline"), null=True, blank=True)
    resolve_deadline_at = models.DateTimeField(_("deadline to resolve"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    was_overdue = models.BooleanField(_("was ever overdue"), default=False)
    # When to warn that the deadline is near (cleared once warned).
    warn_at = models.DateTimeField(_("warn about the deadline at"), null=True, blank=True)
    # When the overdue appeal escalates to the dispatchers and the district (level 2).
    escalate_at = models.DateTimeField(_("escalate at"), null=True, blank=True)
    # The clock counts from registration, or from the moment it last resumed (after the
    # resident's answer to a question, or after a reopening); it stands still meanwhile.
    clock_started_at = models.DateTimeField(_("clock counted from"), null=True, blank=True)
    clock_paused_at = models.DateTimeField(_("clock paused at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("work started at"), null=True, blank=True)
    auto_close_at = models.DateTimeField(_("closes automatically at"), null=True, blank=True)

    # Outcome.
    resolution = models.TextField(_("what was done"), blank=True)
    rating = models.PositiveSmallIntegerField(_("resident's rating"), null=True, blank=True)
    rating_comment = models.TextField(_("resident's comment"), blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    closed_by_resident = models.BooleanField(_("confirmed by the resident"), default=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    supporters_count = models.PositiveIntegerField(_("supporters"), default=0)
    is_public = models.BooleanField(_("shown publicly"), default=True)

    created_at = models.DateTimeField(_("registered at"), db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("accepted at"))
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved at"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="appeal_unique_number"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="appeal_rating_1_5",
            ),
        ]
        indexes = [
            # The dispatcher queue and the overdue sweep: open appeals by deadline.
            models.Index(fields=["municipality", "status", "deadline_at"], name="appeal_queue_idx"),
            models.Index(
                fields=["municipality", "organisation", "status", "deadline_at"],
                name="appeal_org_queue_idx",
            ),
            models.Index(
                fields=["municipality", "district", "status", "deadline_at"],
                name="appeal_district_idx",
            ),
            models.Index(
                fields=["municipality", "category", "status", "deadline_at"],
                name="appeal_category_idx",
            ),
            models.Index(
                fields=["municipality", "priority", "status", "deadline_at"],
                name="appeal_priority_idx",
            ),
            models.Index(
                fields=["deadline_at"],
                condition=Q(overdue_at__isnull=True),
                name="appeal_not_overdue_idx",
            ),
            models.Index(
                fields=["escalate_at"],
                condition=Q(escalation_level=1),
                name="appeal_escalate_idx",
            ),
            models.Index(
                fields=["warn_at"],
                condition=Q(warn_at__isnull=False),
                name="appeal_warn_idx",
            ),
            models.Index(
                fields=["auto_close_at"],
                condition=Q(status="resolved"),
                name="appeal_auto_close_idx",
            ),
            models.Index(fields=["building", "category", "status"], name="appeal_building_idx"),
            models.Index(fields=["municipality", "h3_cell"], name="appeal_h3_idx"),
            models.Index(fields=["author", "created_at"], name="appeal_author_idx"),
            # The public list: newest first within a municipality.
            models.Index(fields=["municipality", "-created_at", "-id"], name="appeal_recent_idx"),
            # Open311's requests by service_code: a category's newest first.
            models.Index(
                fields=["municipality", "category", "-created_at"],
                name="appeal_category_recent_idx",
            ),
            # Open311's status=open: the few thousand open appeals, newest first.
            models.Index(
                fields=["municipality", "-created_at"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="appeal_open_recent_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("appeals:public_detail", args=[self.number])


class AppealNumberCounter(MunicipalModel):
    """The last number given in a municipality and year; locked while a number is taken."""

    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    last_value = models.PositiveIntegerField(default=0, verbose_name=_("last number"))

    class Meta:
        verbose_name = _("appeal number counter")
        verbose_name_plural = _("appeal number counters")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="appeal_counter_unique_year"
            ),
        ]


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


class AppealEvent(MunicipalModel):
    """One immutable line of an appeal's history. History pages read these; nothing is rebuilt."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="events", verbose_name=_("appeal")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    from_status = models.CharField(
        max_length=16, choices=Status.choices, blank=True, verbose_name=_("status before")
    )
    to_status = models.CharField(
        max_length=16, choices=Status.choices, blank=True, verbose_name=_("status after")
    )
    comment = models.TextField(_("comment"), blank=True)
    params = models.JSONField(default=dict, blank=True, verbose_name=_("parameters"))
    # Shown on the public timeline (internal notes and personal data are not).
    is_public = models.BooleanField(default=True, verbose_name=_("public"))
    created_at = models.DateTimeField(db_index=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["appeal", "created_at"])]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class PhotoKind(models.TextChoices):
    RESIDENT = "resident", _("From the resident")
    REPORT = "report", _("Work report")


def _photo_path(instance, filename: str) -> str:
    return f"appeals/{instance.municipality_id}/{instance.appeal_id}/{filename}"


class AppealPhoto(MunicipalModel):
    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="photos", verbose_name=_("appeal")
    )
    event = models.ForeignKey(
        AppealEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("event"),
    )
    kind = models.CharField(
        max_length=10, choices=PhotoKind.choices, default=PhotoKind.RESIDENT, verbose_name=_("kind")
    )
    # The upload as received (private), the public copy without EXIF, and a thumbnail.
    original = models.FileField(
        upload_to=_photo_path, blank=True, default="", verbose_name=_("original file")
    )
    public_image = models.FileField(
        upload_to=_photo_path, blank=True, verbose_name=_("public image")
    )
    thumbnail = models.FileField(upload_to=_photo_path, blank=True, verbose_name=_("thumbnail"))
    # Or, instead of a file, the http(s) address of a photo elsewhere (an API client's
    # media_url): linked, never fetched, and public only once a moderator approved it.
    url = models.URLField(_("photo address"), max_length=1000, blank=True, default="")
    content_type = models.CharField(
        max_length=40, blank=True, default="", verbose_name=_("content type")
    )
    width = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("width"))
    height = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("height"))
    size = models.PositiveIntegerField(default=0, verbose_name=_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    is_approved = models.BooleanField(_("approved for public view"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "id"]
        constraints = [
            # A photo is a stored file or a linked address, never neither.
            models.CheckConstraint(
                condition=~models.Q(original="") | ~models.Q(url=""),
                name="appealphoto_file_or_url",
            )
        ]


class AppealSupport(MunicipalModel):
    """A resident who has the same problem joined the appeal ("me too") and follows it."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="supports", verbose_name=_("appeal")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("supporter of an appeal")
        verbose_name_plural = _("supporters of appeals")
        constraints = [
            models.UniqueConstraint(fields=["appeal", "user"], name="support_unique_user")
        ]
