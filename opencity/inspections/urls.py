from django.urls import path

from opencity.inspections.views import act_findings, acts, plans, public, reports

app_name = "inspections"
urlpatterns = [
    # The act, filled on a phone on site.
    path("acts/<int:pk>/", acts.act_page, name="act"),
    path("acts/<int:pk>/elements/<slug:code>/", acts.element_observe, name="element_observe"),
    path(
        "acts/<int:pk>/elements/<slug:code>/override/",
        acts.element_override,
        name="element_override",
    ),
    path("acts/<int:pk>/defects/", act_findings.defect_create, name="defect_create"),
    path(
        "acts/<int:pk>/defects/<uuid:key>/photos/",
        act_findings.defect_photo_create,
        name="defect_photo_create",
    ),
    path(
        "acts/<int:pk>/defects/<int:defect_id>/remove/",
        act_findings.defect_delete,
        name="defect_delete",
    ),
    path("acts/<int:pk>/works/", act_findings.work_create, name="work_create"),
    path("acts/<int:pk>/works/<int:work_id>/remove/", act_findings.work_delete, name="work_delete"),
    path("acts/<int:pk>/assessment/", act_findings.act_assess, name="act_assess"),
    path(
        "acts/<int:pk>/checks/<int:item_id>/",
        act_findings.work_item_check,
        name="work_item_check",
    ),
    path("acts/<int:pk>/commission/", act_findings.act_commission, name="act_commission"),
    path("acts/sw.js", act_findings.act_service_worker, name="act_service_worker"),
    path("acts/<int:pk>/sign/", acts.act_sign, name="act_sign"),
    path("plan/<int:inspection_id>/act/", acts.act_start, name="act_start"),
    # The pages and reports (issue 13 §6).
    path("map/", public.wear_map_page, name="wear_map"),
    path("map/data/", public.wear_map_data, name="wear_map_data"),
    path("buildings/<int:pk>/", public.building_log, name="building_log"),
    path("buildings/<int:building_pk>/acts/<int:pk>/", reports.act_read, name="act_read"),
    path("today/", reports.today, name="today"),
    path("progress/", reports.progress, name="progress"),
    path("offers/<int:pk>/accept/", plans.offer_accept, name="offer_accept"),
    path("offers/<int:pk>/decline/", plans.offer_decline, name="offer_decline"),
    path("companies/<int:organisation_id>/partial/", plans.partial_plan, name="partial_plan"),
    path("capital-repair/", reports.capital_repair, name="capital_repair"),
    path("capital-repair/export/", reports.capital_repair_download, name="capital_repair_export"),
]
