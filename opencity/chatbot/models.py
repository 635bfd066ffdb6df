"""Who talks to the bot, through which channel, and each municipality's bot settings."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opencity.core.models import MunicipalModel


class Channel(models.TextChoices):
    TELEGRAM = "telegram", _("Telegram")
    WEB = "web", _("Web chat")


class ChatIdentity(MunicipalModel):
    """One chat of one channel (a Telegram chat id, a web chat session), linked to a user or not."""

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    # The channel's own id of the chat: Telegram's chat id, the web chat's random key.
    external_id = models.CharField(_("chat id"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chat_identities",
        verbose_name=_("user"),
    )
    locale = models.CharField(_("language"), max_length=10, blank=True)
    display_name = models.CharField(_("name in the channel"), max_length=200, blank=True)
    # Set when the channel says the user blocked the bot: no message is sent until they return.
    blocked_at = models.DateTimeField(_("blocked the bot at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)

    class Meta:
        verbose_name = _("chat")
        verbose_name_plural = _("chats")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "channel", "external_id"], name="chat_identity_unique"
            ),
        ]
        indexes = [models.Index(fields=["user", "channel"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.external_id}"


class TelegramBot(MunicipalModel):
    """A municipality's Telegram bot: its token and how updates reach us."""

    class Mode(models.TextChoices):
        POLLING = "polling", _("long polling (no public address needed)")
        WEBHOOK = "webhook", _("webhook (production)")

    token = models.CharField(_("bot token"), max_length=200)
    username = models.CharField(_("bot username"), max_length=100, blank=True)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.POLLING)
    # Telegram sends it back in X-Telegram-Bot-Api-Secret-Token on every webhook call.
    webhook_secret = models.CharField(_("webhook secret"), max_length=256, blank=True)
    # The Bot API's base address: Telegram's own, or the fake server the tests start.
    api_base = models.URLField(_("Bot API address"), default="https://api.telegram.org")
    active = models.BooleanField(_("active"), default=True)
    # Long polling: the next update_id to ask getUpdates for (persisted, so a restart neither
    # loses nor repeats updates; ProcessedUpdate makes a repeat harmless anyway).
    poll_offset = models.BigIntegerField(_("polling offset"), default=0)

    class Meta:
        verbose_name = _("Telegram bot")
        verbose_name_plural = _("Telegram bots")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="telegram_bot_one_per_city"),
        ]

    def __str__(self) -> str:
        return self.username or f"bot {self.pk}"


class ProcessedUpdate(models.Model):
    """A Telegram update already handled: a webhook retry or a repeated poll is dropped."""

    bot = models.ForeignKey(
        TelegramBot, on_delete=models.CASCADE, related_name="+", verbose_name=_("Telegram bot")
    )
    update_id = models.BigIntegerField(_("update id"))
    processed_at = models.DateTimeField(_("processed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("processed update")
        verbose_name_plural = _("processed updates")
        constraints = [
            models.UniqueConstraint(fields=["bot", "update_id"], name="telegram_update_once"),
        ]

    def __str__(self) -> str:
        return f"update {self.update_id}"


class TelegramLinkToken(MunicipalModel):
    """A one-time deep link (t.me/<bot>?start=<token>) that links a Telegram chat to a user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    # Only a hash is kept: the token itself lives in the link the user was shown.
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Telegram link")
        verbose_name_plural = _("Telegram links")

    def __str__(self) -> str:
        return f"link for user {self.user_id}"


class Dialog(MunicipalModel):
    """One conversation of a chat through one flow: where it stands and what was gathered."""

    class Outcome(models.TextChoices):
        DONE = "done", _("finished")
        CANCELLED = "cancelled", _("left for the menu")
        TIMED_OUT = "timed_out", _("reset after a pause")

    identity = models.ForeignKey(
        ChatIdentity, on_delete=models.CASCADE, related_name="dialogs", verbose_name=_("chat")
    )
    flow = models.CharField(_("flow"), max_length=40)
    state = models.CharField(_("state"), max_length=40)
    # What the flow gathered so far (category, place, description, answers, photos' paths).
    data = models.JSONField(_("data"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    # The appeal the dialog filed, so its transcript can be shown on the appeal's staff page.
    appeal = models.ForeignKey(
        "appeals.Appeal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appeal"),
    )

    class Meta:
        verbose_name = _("dialog")
        verbose_name_plural = _("dialogs")
        constraints = [
            # One open dialog per chat: a second process waits on the chat's row lock, then
            # reads the dialog the first one left.
            models.UniqueConstraint(
                fields=["identity"],
                condition=models.Q(finished_at__isnull=True),
                name="dialog_one_open_per_chat",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "flow", "started_at"])]

    def __str__(self) -> str:
        return f"{self.flow}:{self.state}"


class DialogMessage(MunicipalModel):
    """One line of a dialog's transcript: what the user sent or what the bot answered."""

    class Direction(models.TextChoices):
        IN = "in", _("from the user")
        OUT = "out", _("from the bot")

    dialog = models.ForeignKey(
        Dialog, on_delete=models.CASCADE, related_name="messages", verbose_name=_("dialog")
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    text = models.TextField(_("text"), blank=True)
    # The state the dialog was in when the line was written (where people drop off).
    state = models.CharField(_("state"), max_length=40, blank=True)
    # An outgoing line's buttons and requests, so a channel can show them again (the web chat).
    buttons = models.JSONField(_("buttons"), default=list, blank=True)
    extra = models.JSONField(_("extra"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("dialog message")
        verbose_name_plural = _("dialog messages")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["dialog", "at"])]

    def __str__(self) -> str:
        return f"{self.direction}: {self.text[:40]}"


class InfoAnswer(MunicipalModel):
    """An answer the bot gives: an emergency number, an office and its hours, a how-to."""

    class Kind(models.TextChoices):
        EMERGENCY = "emergency", _("Emergency numbers")
        OFFICE = "office", _("Offices and hours")
        HOWTO = "howto", _("How to")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.HOWTO)
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))
    keywords = models.CharField(
        _("keywords"), max_length=300, blank=True, help_text=_("Words people search it by")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("information answer")
        verbose_name_plural = _("information answers")
        ordering = ["kind", "order", "question"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "question"], name="info_answer_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.question
