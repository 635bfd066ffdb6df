"""The JSON API root: every app adds its router here."""

from ninja import NinjaAPI

from opencity.buildings.api import router as buildings_router

api = NinjaAPI(title="opencity API", version="1", urls_namespace="api")
api.add_router("/buildings/", buildings_router)
