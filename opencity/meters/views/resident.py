"""The resident's meters: submit the month's readings, and each meter's history and chart."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from opencity.core.errors import DomainError
from opencity.core.web import require_local
from opencity.meters import selectors, services
from opencity.meters.forms import ApartmentReadingsForm


def _apartment_forms(apartments, *, bound_id=None, data=None) -> list[dict]:
    blocks = []
    for apartment in apartments:
        bound = apartment.holder.account.apartment_id == bound_id
        form = ApartmentReadingsForm(data if bound else None, cards=apartment.cards)
        blocks.append({"apartment": apartment, "form": form, "errors": {}, "confirm": set()})
    return blocks


@login_required
def mine(request):
    """Return the resident's apartments, their meters and the form of the month's readings."""
    require_local(request)
    apartments = selectors.resident_meters(user=request.user)
    apartment_id = (
        int(request.POST["apartment"]) if request.POST.get("apartment", "").isdigit() else None
    )
    blocks = _apartment_forms(apartments, bound_id=apartment_id, data=request.POST or None)
    status = 200
    if request.method == "POST":
        block = next((b for b in blocks if b["form"].is_bound), None)
        if block is not None and block["form"].is_valid():
            saved, failed = _submit(request, block)
            if saved and not failed:
                messages.success(
                    request,
                    _("Thank you: %(count)d readings are recorded.") % {"count": saved},
                )
                return redirect("meters:mine")
            if saved:
                messages.success(
                    request,
                    _("%(count)d readings are recorded; check the others.") % {"count": saved},
                )
            if not saved and not failed:
                block["form"].add_error(None, _("Type at least one reading."))
        status = 422
    for block in blocks:
        form = block["form"]
        block["any_open"] = any(card.window.is_open for card in block["apartment"].cards)
        block["rows"] = [
            {
                "card": card,
                "fields": form.meter_fields(card.meter),
                "errors": block["errors"].get(card.meter.pk, []),
                "confirm": card.meter.pk in block["confirm"]
                or bool(form[form.name(card.meter, "confirm")].value()),
            }
            for card in block["apartment"].cards
        ]
    return render(request, "meters/resident/mine.html", {"blocks": blocks}, status=status)


def _submit(request, block) -> tuple[int, int]:
    """Record each meter's reading; keep the errors of the others on the form."""
    form = block["form"]
    saved = failed = 0
    for card, values, rollover, confirmed in form.submitted():
        meter = card.meter
        try:
            services.reading_submit(
                meter=meter,
                user=request.user,
                values=values,
                rollover=rollover,
                confirmed=confirmed,
            )
        except services.ReadingNeedsConfirmation as exc:
            failed += 1
            block["confirm"].add(meter.pk)
            block["errors"][meter.pk] = [exc.message]
        except DomainError as exc:
            failed += 1
            block["errors"][meter.pk] = [exc.message]
        else:
            saved += 1
    return saved, failed


@login_required
@require_GET
def meter_detail(request, pk: int):
    require_local(request)
    meter = selectors.meter_get_for_resident(user=request.user, pk=pk)
    readings = selectors.meter_history(meter=meter)
    return render(
        request,
        "meters/resident/detail.html",
        {
            "meter": meter,
            "readings": list(reversed(readings)),
            "bars": selectors.consumption_chart(readings),
            "chart": {"width": selectors.CHART_WIDTH, "height": selectors.CHART_HEIGHT},
            "verification_due": selectors.meter_verification_due(meter),
        },
    )
