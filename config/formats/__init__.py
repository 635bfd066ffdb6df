"""Date and time formats, one per language and 24-hour everywhere (FORMAT_MODULE_PATH).

Every page, mail and export shows a moment in its language's one long form ("2 December
2026, 05:09") or short form ("02.12.2026 05:09"); Tatar has no formats of Django's own.
"""
