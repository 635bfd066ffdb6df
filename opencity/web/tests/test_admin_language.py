"""The administration site speaks the visitor's language: its header, columns, filters and labels."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.core.tests.factories import MunicipalityFactory

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# What an admin page names a field or a column by: form labels, column headings, filter titles.
LABELS = [
    re.compile(r"<label[^>]*>([^<]+)</label>"),
    re.compile(
        r'<th scope="col"[^>]*>\s*(?:<div class="text">)?\s*(?:<a [^>]*>|<span>)([^<]+)<', re.S
    ),
    re.compile(r"<summary>\s*([^<]+?)\s*</summary>"),
]


@pytest.fixture
def admin_client(client, db):
    city = MunicipalityFactory(slug="adm", name="Казань", code="ADM")
    user = UserFactory(
        municipality=city, role=Role.MUNICIPAL_ADMIN, is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


def _admin_pages():
    yield reverse("admin:index")
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield reverse(f"{prefix}_changelist")
        yield reverse(f"{prefix}_add")


def test_the_admin_is_the_citys_not_djangos(admin_client):
    page = admin_client.get("/m/adm/admin/", headers={"accept-language": "ru"}).content.decode()
    assert "Администрирование opencity" in page
    assert "Django" not in re.sub(r"<script.*?</script>", "", page, flags=re.S)


def test_every_admin_label_is_in_russian(admin_client):
    english = {}
    for path in _admin_pages():
        response = admin_client.get("/m/adm" + path, headers={"accept-language": "ru"})
        if response.status_code != 200:  # an add page the model does not allow
            continue
        page = response.content.decode()
        for pattern in LABELS:
            for label in pattern.findall(page):
                label = label.strip()
                if label and not CYRILLIC.search(label):
                    english.setdefault(path, set()).add(label)
    assert english == {}


def test_admin_titles_keep_the_model_name_grammatical(admin_client):
    """Django's "Выберите %s" would read "Выберите категория": the name stands after a colon."""
    headers = {"accept-language": "ru"}
    changelist = admin_client.get(
        reverse_in_city("admin:appeals_category_changelist"), headers=headers
    )
    page = changelist.content.decode()
    assert "Выберите для изменения: категория" in page
    assert "Добавить: категория" in page
    assert "Выберите категория" not in page
    add = admin_client.get(reverse_in_city("admin:appeals_category_add"), headers=headers)
    assert "Добавление: категория" in add.content.decode()


def reverse_in_city(name):
    return "/m/adm" + reverse(name)
