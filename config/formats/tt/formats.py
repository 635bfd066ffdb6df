"""Tatar: the shared day-first, 24-hour formats (Django has none for Tatar)."""

from config.formats.common import *  # noqa: F403
