"""What happens to an appeal: its audit events, photos and supporters."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opencity.appeals.models.appeal import Appeal
from opencity.appeals.models.choices import EventKind, PhotoKind, Status
from opencity.core.models import MunicipalModel


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
