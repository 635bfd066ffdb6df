"""The appeal itself and the counter that numbers appeals."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opencity.appeals.models.categories import Category
from opencity.appeals.models.choices import (
    OPEN_STATUSES,
    Channel,
    ContactPreference,
    Priority,
    Stage,
    Status,
)
from opencity.core.models import District, Municipality, MunicipalModel


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
                condition=Q(status=Status.RESOLVED),
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
