"""Whether the collected static files match the sources, so a server can collect them first.

The manifest storage (production's default) answers 500 on every page that names a static
file it has not collected. Collecting takes seconds even when nothing changed; this check
takes milliseconds: the manifest must exist, list every source file and be newer than each.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.files.storage import storages


def static_collect_reason() -> str | None:
    """Say why the static files must be collected, or None when the collected ones are current."""
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return None  # the plain storage names files as they are: nothing to miss
    manifest = Path(settings.STATIC_ROOT) / storage.manifest_name
    try:
        collected_at = manifest.stat().st_mtime
        names = json.loads(manifest.read_text(encoding="utf-8"))["paths"]
    except FileNotFoundError:
        return f"nothing collected in {settings.STATIC_ROOT} yet"
    except (OSError, ValueError, KeyError, TypeError):
        return f"{manifest} cannot be read"
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    for finder in get_finders():
        for path, source in finder.list(ignore):
            prefix = getattr(source, "prefix", None)
            name = (os.path.join(prefix, path) if prefix else path).replace(os.sep, "/")
            if name not in names:
                return f"{name} is not collected yet"
            try:
                if os.stat(source.path(path)).st_mtime > collected_at:
                    return f"{name} changed since the last collection"
            except (OSError, NotImplementedError):
                continue
    return None
