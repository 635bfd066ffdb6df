"""The appeals part of the JSON API (routers added to the root in config/api.py)."""

from opencity.appeals.api import transitions
from opencity.appeals.api.appeals import router as appeals_router
from opencity.appeals.api.categories import categories_router

appeals_router.add_router("", transitions.router)

__all__ = ["appeals_router", "categories_router"]
