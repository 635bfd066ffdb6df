"""The JSON API root: every app adds its router here; domain errors become JSON."""

from ninja import NinjaAPI

from opencity.buildings.api import router as buildings_router
from opencity.core.errors import DomainError

api = NinjaAPI(title="opencity API", version="1", urls_namespace="api")


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(
        request,
        {"code": exc.code, "detail": exc.message, "errors": exc.errors},
        status=exc.status_code,
    )


api.add_router("/buildings/", buildings_router)
