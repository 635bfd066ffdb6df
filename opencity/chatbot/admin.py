"""The chat bot's back office: municipal admins edit the information answers; dialogs are read."""

from django.contrib import admin

from opencity.chatbot.models import Dialog, DialogMessage, InfoAnswer
from opencity.core.admin_mixins import MunicipalAdminMixin, MunicipalInlineMixin, ReadOnlyMixin


@admin.register(InfoAnswer)
class InfoAnswerAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["question", "kind", "order", "is_active", "updated_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["question", "answer", "keywords"]
    fields = ["municipality", "kind", "question", "answer", "keywords", "order", "is_active"]


class DialogMessageInline(ReadOnlyMixin, MunicipalInlineMixin, admin.TabularInline):
    model = DialogMessage
    fields = ["at", "direction", "state", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Dialog)
class DialogAdmin(ReadOnlyMixin, MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["started_at", "flow", "state", "outcome", "appeal"]
    list_filter = ["flow", "outcome"]
    fields = [
        "identity",
        "flow",
        "state",
        "data",
        "started_at",
        "updated_at",
        "finished_at",
        "outcome",
        "appeal",
    ]
    readonly_fields = fields
    inlines = [DialogMessageInline]
