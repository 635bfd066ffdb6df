"""Russian: the shared day-first, 24-hour formats."""

from config.formats.common import *  # noqa: F403
