"""The inspections part of the JSON API (one router added to the root in config/api.py): the
methodology and the calculation, the plans, the acts, the work items.

See docs/subsystems/inspections.md.
"""

from opencity.inspections.api import acts, exports, offers, plans, work
from opencity.inspections.api.methodology import router

router.add_router("", offers.router)
router.add_router("", plans.router)
router.add_router("", acts.router)
router.add_router("", work.router)
router.add_router("", exports.router)

__all__ = ["router"]
