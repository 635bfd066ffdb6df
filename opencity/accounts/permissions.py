"""Who may do what: checked in services and selectors, not only in templates."""

from __future__ import annotations

from collections.abc import Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

from opencity.accounts.models import STAFF_ROLES, Role, User
from opencity.core.errors import PermissionDenied
from opencity.core.models import Municipality


def user_belongs_to(*, user: User, municipality: Municipality | None) -> bool:
    """Tell whether the user may act in this municipality at all."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return municipality is not None and user.municipality_id == municipality.id


def user_has_role(*, user: User, municipality: Municipality | None, roles: Iterable[str]) -> bool:
    if not user_belongs_to(user=user, municipality=municipality):
        return False
    return user.is_superuser or user.role in set(roles)


def require_role(*, user: User, municipality: Municipality | None, roles: Iterable[str]) -> None:
    """Raise PermissionDenied unless the user holds one of the roles in this municipality."""
    if not user_has_role(user=user, municipality=municipality, roles=roles):
        raise PermissionDenied(_("You do not have access to this page."))


def require_staff(*, user: User, municipality: Municipality | None) -> None:
    require_role(user=user, municipality=municipality, roles=STAFF_ROLES)


def staff_required(*roles: str):
    """View decorator: sign-in first, then one of the roles (any staff role if none given)."""
    allowed = set(roles) or set(STAFF_ROLES)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_role(user=request.user, municipality=request.municipality, roles=allowed)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def user_is_municipal_admin(*, user: User, municipality: Municipality | None = None) -> bool:
    """Tell whether the user administers a municipality (theirs, or the one given)."""
    if not user.is_authenticated or not user.is_active or user.is_superuser:
        return False
    if user.role != Role.MUNICIPAL_ADMIN or user.municipality_id is None:
        return False
    return municipality is None or municipality.id == user.municipality_id


__all__ = [
    "Role",
    "require_role",
    "require_staff",
    "staff_required",
    "user_belongs_to",
    "user_has_role",
    "user_is_municipal_admin",
]
