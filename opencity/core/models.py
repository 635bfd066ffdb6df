"""Tenancy: the municipality that owns every domain row, and its districts.

See docs/subsystems/tenancy.md.
"""

import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opencity.core.validators import language_codes, languages_validate, time_zone_validate


class Municipality(models.Model):
    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in URLs: /m/<slug>/"))
    name = models.CharField(_("name"), max_length=200)
    # Russian names decline: "в Казани", "для Казани" (texts that name the city need them).
    name_genitive = models.CharField(
        _("name in the genitive"), max_length=200, blank=True, help_text=_("e.g. Казани")
    )
    name_prepositional = models.CharField(
        _("name in the prepositional"), max_length=200, blank=True, help_text=_("e.g. Казани")
    )
    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        help_text=_("Short prefix of appeal numbers, e.g. KZN"),
    )
    hosts = models.TextField(
        _("host names"),
        blank=True,
        help_text=_(
            "Host names served as this municipality, one per line (e.g. kazan.example.org)"
        ),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Moscow",
        validators=[time_zone_validate],
        help_text=_("IANA name, e.g. Europe/Moscow or Asia/Yekaterinburg"),
    )
    country = models.CharField(_("country code"), max_length=2, default="RU")
    subdivision = models.CharField(
        _("region code"), max_length=8, blank=True, help_text=_("ISO 3166-2 subdivision, e.g. TA")
    )
    center_lat = models.FloatField(_("centre latitude"), default=55.796)
    center_lon = models.FloatField(_("centre longitude"), default=49.106)
    default_zoom = models.PositiveSmallIntegerField(_("map zoom"), default=11)
    # GeoJSON Polygon or MultiPolygon (lon/lat): where the city's buildings may stand. Imports
    # drop coordinates outside it (with a margin); without it, the districts' box or 50 km.
    boundary = models.JSONField(
        _("boundary"),
        null=True,
        blank=True,
        help_text=_("GeoJSON Polygon or MultiPolygon in longitude/latitude"),
    )
    # Blank: every language of the installation, LANGUAGE_CODE by default.
    languages = models.CharField(
        _("languages"),
        max_length=64,
        blank=True,
        validators=[languages_validate],
        help_text=_("Codes offered on the language switch, the default first, e.g. ru,en"),
    )
    # The working day that deadlines in working hours/days count within (see core.calendar).
    work_day_start = models.TimeField(_("working day starts"), default=datetime.time(9, 0))
    work_day_end = models.TimeField(_("working day ends"), default=datetime.time(18, 0))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def host_list(self) -> list[str]:
        return [h.strip().lower() for h in self.hosts.split() if h.strip()]

    @property
    def language_list(self) -> list[str]:
        return language_codes(self.languages)


class MunicipalModel(models.Model):
    """Base of every domain table: each row belongs to exactly one municipality."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, verbose_name=_("municipality"), related_name="+"
    )

    class Meta:
        abstract = True


class District(MunicipalModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"))
    # GeoJSON geometry (Polygon or MultiPolygon) in lon/lat, as Leaflet and shapely read it.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="district_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    """The last time each background worker proved it was alive (by running a task)."""

    hostname = models.CharField(max_length=200, unique=True, verbose_name=_("host name"))
    seen_at = models.DateTimeField(verbose_name=_("seen at"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.hostname} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Day off (holiday or transferred day off)")
    WORKING = "working", _("Working day (e.g. a transferred working Saturday)")
    SHORT = "short", _("Shortened working day")


class CalendarOverride(MunicipalModel):
    """A day that the production calendar or the region sets apart from the national rules."""

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    # A shortened day ends earlier (pre-holiday days end an hour early in Russia).
    work_day_end = models.TimeField(_("working day ends"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "date"], name="calendar_override_unique_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.get_kind_display()}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", _("Gave up")


class OutboxMessage(models.Model):
    """A side effect (an e-mail, an SMS, a Telegram message) written in the same transaction
    as the change that caused it, and delivered by the worker after commit."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    channel = models.CharField(_("channel"), max_length=16)
    recipient = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    address = models.CharField(_("address"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("body"), blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    # The same logical message is written once: a retry of the cause cannot send it twice.
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Higher first among the messages due: a chat reply, then an outage notice, then the rest.
    priority = models.SmallIntegerField(_("priority"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.channel} → {self.address or self.recipient_id}: {self.subject or self.dedupe_key}"


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key on a create operation and what the operation created, so a
    retried request (same key, same body) answers the first result instead of filing again.

    See opencity/core/idempotency.py.
    """

    # Whose key: the operation and the authenticated caller, so two clients' keys never meet.
    scope = models.CharField(_("scope"), max_length=200)
    key = models.CharField(_("key"), max_length=200)
    # SHA-256 of the method, path, query and body: the same key with another body is refused.
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    # What the caller needs to answer again (e.g. the appeal's id); null while in flight.
    result = models.JSONField(_("result"), null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="core_idempotency_scope_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope}: {self.key}"
