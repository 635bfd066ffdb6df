"""Staff URLs of appeals; appended to opencity.appeals.urls as staff_patterns."""

from django.urls import path

from opencity.appeals.views import staff

staff_patterns = [
    path("staff/queue/", staff.queue, name="queue"),
    path("staff/queue/bulk/", staff.queue_bulk, name="queue_bulk"),
    path("staff/phone/", staff.phone_intake, name="phone_intake"),
    path("staff/phone/buildings/", staff.intake_buildings, name="intake_buildings"),
    path("staff/phone/context/", staff.intake_context, name="intake_context"),
    path("staff/organisation/", staff.organisation_queue, name="organisation_queue"),
    path("staff/tasks/", staff.my_tasks, name="my_tasks"),
    path("staff/appeal/<str:number>/", staff.staff_detail, name="staff_detail"),
    path("staff/appeal/<str:number>/actions/", staff.appeal_actions, name="staff_actions"),
    path("staff/appeal/<str:number>/do/<slug:action>/", staff.appeal_action, name="staff_action"),
    path(
        "staff/appeal/<str:number>/photo/<int:photo_id>/",
        staff.staff_photo,
        name="staff_photo",
    ),
    path(
        "staff/appeal/<str:number>/photo/<int:photo_id>/review/",
        staff.staff_photo_review,
        name="staff_photo_review",
    ),
]
