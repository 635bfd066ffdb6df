"""The JSON API root: every app adds its router here; domain errors become JSON.

See docs/subsystems/api-and-open311.md.
"""

from ninja import NinjaAPI

from opencity.analytics.api import router as analytics_router
from opencity.appeals.api import appeals_router, categories_router
from opencity.buildings.api import router as buildings_router
from opencity.core.api_errors import install_handlers
from opencity.core.api_parser import CleanParser
from opencity.core.errors import DomainError
from opencity.inspections.api import router as inspections_router
from opencity.meters.api import router as meters_router
from opencity.organisations.api import me_router
from opencity.organisations.api import router as organisations_router
from opencity.outages.api import router as outages_router

api = NinjaAPI(
    title="opencity API",
    version="1",
    urls_namespace="api",
    parser=CleanParser(),
    description=(
        "The city's appeals, categories, buildings, organisations, outages, meter readings, the wear methodology of inspections and the appeals' open-data aggregates (analytics). Authenticate with the "
        "browser session, a personal access token (`Authorization: Bearer oc_pat_…`, created "
        "on the profile page) or an organisation's API key (`X-API-Key: oc_key_…`). Every error "
        "is JSON: `{code, detail, errors}`. Requests are rate-limited per key and per address "
        "(429 with Retry-After). Filing an appeal takes an `Idempotency-Key` header (e.g. a "
        "UUID): a retry with the same key and body within 24 hours answers the appeal filed "
        "first instead of filing another."
    ),
)
install_handlers(api)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    response = api.create_response(
        request,
        {"code": exc.code, "detail": exc.message, "errors": exc.errors},
        status=exc.status_code,
    )
    if getattr(exc, "retry_after", 0):
        response["Retry-After"] = str(exc.retry_after)
    return response


api.add_router("", me_router)
api.add_router("/categories/", categories_router)
api.add_router("/appeals/", appeals_router)
api.add_router("/buildings/", buildings_router)
api.add_router("/organisations/", organisations_router)
api.add_router("/outages/", outages_router)
api.add_router("/meters/", meters_router)
api.add_router("/inspections/", inspections_router)
api.add_router("/analytics/", analytics_router)
