"""What the Open311 protocol adds to an appeal: the submission's token and media, and the
receipts of updates posted by clients (so a retried POST is answered, not applied twice)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opencity.core.models import MunicipalModel


class Submission(MunicipalModel):
    """One service request filed through Open311: the appeal it became, and how it came."""

    appeal = models.OneToOneField(
        "appeals.Appeal",
        on_delete=models.CASCADE,
        related_name="open311_submission",
        verbose_name=_("appeal"),
    )
    token = models.CharField(_("token"), max_length=32, unique=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted with the credential of"),
    )
    media_url = models.URLField(_("media URL"), max_length=1000, blank=True)
    device_id = models.CharField(_("device id"), max_length=200, blank=True)
    account_id = models.CharField(_("account id"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("Open311 submission")
        verbose_name_plural = _("Open311 submissions")

    def __str__(self) -> str:
        return f"{self.token} → {self.appeal_id}"


class UpdateReceipt(MunicipalModel):
    """A service request update a client posted (by its own update_id) and what it became."""

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    external_id = models.CharField(_("client's update id"), max_length=100)
    appeal = models.ForeignKey(
        "appeals.Appeal", on_delete=models.CASCADE, related_name="+", verbose_name=_("appeal")
    )
    event = models.ForeignKey(
        "appeals.AppealEvent",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("event"),
    )
    media_url = models.URLField(_("media URL"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("Open311 update receipt")
        verbose_name_plural = _("Open311 update receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "external_id"], name="open311_update_unique_external_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.external_id} → {self.event_id}"
