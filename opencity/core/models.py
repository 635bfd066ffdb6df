"""Tenancy: the municipality that owns every domain row, and its districts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in URLs: /m/<slug>/"))
    name = models.CharField(_("name"), max_length=200)
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
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Moscow")
    country = models.CharField(_("country code"), max_length=2, default="RU")
    subdivision = models.CharField(
        _("region code"), max_length=8, blank=True, help_text=_("ISO 3166-2 subdivision, e.g. TA")
    )
    center_lat = models.FloatField(_("centre latitude"), default=55.796)
    center_lon = models.FloatField(_("centre longitude"), default=49.106)
    default_zoom = models.PositiveSmallIntegerField(_("map zoom"), default=11)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def host_list(self) -> list[str]:
        return [h.strip().lower() for h in self.hosts.split() if h.strip()]


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

    hostname = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.hostname} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
