from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencity.core.web import is_htmx
from opencity.notifications import selectors, services
from opencity.notifications.forms import PreferenceForm


def _inbox_context(user) -> dict:
    return {
        "notifications": selectors.notification_list_for_user(user=user),
        "unread_count": selectors.notification_unread_count(user=user),
    }


@login_required
def inbox(request):
    return render(request, "notifications/inbox.html", _inbox_context(request.user))


@require_POST
@login_required
def mark_read(request, pk: int):
    notification = services.notification_mark_read(user=request.user, notification_id=pk)
    if is_htmx(request):
        return render(
            request,
            "notifications/partials/item_read.html",
            {
                "notification": notification,
                "unread_count": selectors.notification_unread_count(user=request.user),
            },
        )
    return redirect("notifications:inbox")


@require_POST
@login_required
def mark_all_read(request):
    services.notification_mark_all_read(user=request.user)
    if is_htmx(request):
        return render(request, "notifications/partials/list.html", _inbox_context(request.user))
    messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    user = request.user
    pref = services.notification_preference_get(user=user)
    initial = {"email": pref.email, "sms": pref.sms, "telegram": pref.telegram}
    form = PreferenceForm(request.POST or None, initial=initial, user=user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.notification_preference_update(
                user=user,
                email=form.cleaned_data["email"],
                sms=form.cleaned_data["sms"],
                telegram=form.cleaned_data["telegram"] if form.telegram_linked else None,
            )
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
        status = 422
    return render(request, "notifications/settings.html", {"form": form}, status=status)
