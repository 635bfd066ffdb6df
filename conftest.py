"""Test-wide settings: no test touches ./var or a broker unless it asks for one."""

import pytest
from django.core.cache import cache

from opencity.core.refcache import refcache_clear


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Rate-limit counters must not leak from one test into the next.
    cache.clear()
    # Reference data cached per process must not outlive the test's rolled-back rows.
    refcache_clear()
