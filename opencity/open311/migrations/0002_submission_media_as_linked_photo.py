"""Requests filed before media_url became the appeal's linked photo kept it only on their
Submission (and GET requests showed it unmoderated). Give each such appeal the linked photo
the intake now makes: not approved, so it waits for a dispatcher like a new one."""

from django.db import migrations

MAX_PHOTOS = 5  # appeals.services.photos.MAX_PHOTOS when this was written


def link(apps, schema_editor):
    Submission = apps.get_model("open311", "Submission")
    AppealPhoto = apps.get_model("appeals", "AppealPhoto")
    rows = (
        Submission.objects.exclude(media_url="")
        .values_list("appeal_id", "municipality_id", "media_url", "submitted_by_id", "created_at")
        .iterator()
    )
    for appeal_id, municipality_id, url, user_id, created_at in rows:
        url = url.strip()
        if not url.lower().startswith(("http://", "https://")) or len(url) > 1000:
            continue
        photos = AppealPhoto.objects.filter(appeal_id=appeal_id, kind="resident")
        if photos.filter(url=url).exists() or photos.count() >= MAX_PHOTOS:
            continue
        photo = AppealPhoto.objects.create(
            municipality_id=municipality_id,
            appeal_id=appeal_id,
            kind="resident",
            url=url,
            uploaded_by_id=user_id,
            is_approved=False,
        )
        AppealPhoto.objects.filter(pk=photo.pk).update(created_at=created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("open311", "0001_initial"),
        ("appeals", "0008_photo_url"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
