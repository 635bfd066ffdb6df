"""What the meters pages share."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from opencity.core.errors import PermissionDenied
from opencity.meters.permissions import meter_user_is_staff


def municipality_of(request):
    if request.municipality is None:
        raise Http404(_("No municipality is served here."))
    return request.municipality


def require_local(request):
    municipality = municipality_of(request)
    if request.user.municipality_id != municipality.id:
        raise PermissionDenied(_("Sign in with an account of this municipality."))
    return municipality


def require_meter_staff(request):
    municipality = municipality_of(request)
    if not meter_user_is_staff(user=request.user, municipality=municipality):
        raise PermissionDenied(_("You do not work with meters here."))
    return municipality
