"""What an import reports: counts, and every problem with its row, field, value and reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportIssue:
    """A problem in one cell or row; fatal issues made the row fail, others dropped a value."""

    row: int
    field: str
    value: str
    reason: str
    fatal: bool = False


@dataclass
class RowData:
    """One file row read into building field values, before it meets the database."""

    row: int
    values: dict = field(default_factory=dict)
    external_id: str = ""
    pk: int | None = None
    district_key: str | None = None  # None: the file has no district column
    manager_name: str | None = None  # None: the file says nothing about the manager
    manager_since: dt.date | None = None
    manager_link: str = ""
    issues: list[ImportIssue] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(issue.fatal for issue in self.issues)

    def problem(self, column: str, value, reason: str, *, fatal: bool = False) -> None:
        text = "" if value is None else str(value)
        self.issues.append(
            ImportIssue(row=self.row, field=column, value=text[:200], reason=reason, fatal=fatal)
        )


@dataclass
class ImportResult:
    format: str = ""
    method: str = ""  # "set" (set-based, PostgreSQL) or "row" (row by row)
    # Columns of the file the format does not read (FIAS flags, COLD_WATER …), as written.
    ignored_columns: list[str] = field(default_factory=list)
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    dry_run: bool = False
    errors: list[ImportIssue] = field(default_factory=list)

    @property
    def warnings(self) -> list[ImportIssue]:
        return [issue for issue in self.errors if not issue.fatal]
