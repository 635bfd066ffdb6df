"""English: the shared day-first, 24-hour formats; numbers as English writes them."""

from config.formats.common import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
