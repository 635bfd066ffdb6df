"""Import the buildings registry from CSV/XLSX: our own format and Реформа ЖКХ open data.

See docs/subsystems/imports.md.
"""

from opencity.buildings.imports.readers import ImportFileError
from opencity.buildings.imports.result import ImportIssue, ImportResult
from opencity.buildings.imports.runner import building_import

__all__ = ["ImportFileError", "ImportIssue", "ImportResult", "building_import"]
