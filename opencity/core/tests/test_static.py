"""The glance at the manifest that tells `serve` and `up` whether to collect static files."""

import json
import os

import pytest
from django.contrib.staticfiles.finders import get_finders

from opencity.core.static import static_collect_reason

MANIFEST_STORAGE = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


@pytest.fixture
def manifest_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST_STORAGE}
    return settings.STATIC_ROOT


def _source_names() -> list[str]:
    return [path for finder in get_finders() for path, _storage in finder.list(["CVS", ".*", "*~"])]


def _write_manifest(root, names, *, age: float = 0) -> None:
    root.mkdir(parents=True, exist_ok=True)
    manifest = root / "staticfiles.json"
    manifest.write_text(json.dumps({"paths": {n: n for n in names}, "version": "1.1"}))
    if age:
        stamp = manifest.stat().st_mtime - age
        os.utime(manifest, (stamp, stamp))


def test_nothing_collected_needs_a_collection(manifest_storage):
    assert "nothing collected" in static_collect_reason()


def test_a_current_collection_needs_none(manifest_storage):
    _write_manifest(manifest_storage, _source_names())
    assert static_collect_reason() is None


def test_a_source_file_newer_than_the_collection_needs_one(manifest_storage):
    _write_manifest(manifest_storage, _source_names(), age=10 * 365 * 86400)
    assert "changed since the last collection" in static_collect_reason()


def test_a_source_file_missing_from_the_collection_needs_one(manifest_storage):
    names = _source_names()
    _write_manifest(manifest_storage, [n for n in names if n != "css/site.css"])
    assert static_collect_reason() == "css/site.css is not collected yet"


def test_the_plain_storage_needs_no_collection_to_serve_pages(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "empty"
    assert static_collect_reason() is None
