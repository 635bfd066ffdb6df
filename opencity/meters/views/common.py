"""What the meters pages share."""

from __future__ import annotations

from django.utils.translation import gettext as _

from opencity.core.errors import PermissionDenied
from opencity.core.web import municipality_of
from opencity.meters.permissions import meter_user_is_staff


def require_meter_staff(request):
    municipality = municipality_of(request)
    if not meter_user_is_staff(user=request.user, municipality=municipality):
        raise PermissionDenied(_("You do not work with meters here."))
    return municipality
