"""The act as a printable PDF in the official layout of the act of general inspection (section I:
the building; section II: its elements, their condition and defects; then the works needed and
the commission's signatures), and as an XLSX workbook with the same content, one sheet each.

Read-only: the act comes loaded by selectors.act_queryset; the labels are in the reader's
language, the data as the act holds it. The PDF embeds DejaVu Sans (data/, its licence beside
it) for Cyrillic and Tatar letters. See docs/subsystems/inspections.md.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from opencity.inspections.models import Act, Scale

FONTS = Path(__file__).resolve().parent / "data"
DASH = "—"


def _text(value) -> str:
    if value in (None, ""):
        return DASH
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _grades(act: Act) -> dict:
    return {(g.scale, g.code): g.name for g in act.methodology.grades.all()}


def section_one(act: Act) -> list[tuple[str, str]]:
    """Section I: the building, from the passport as it stood when the act began."""
    p = act.passport
    return [
        (_("Address"), _text(p.get("address"))),
        (_("Cadastral number"), _text(p.get("cadastral_number"))),
        (_("Series, type of construction"), _text(p.get("series"))),
        (_("Year built"), _text(p.get("year_built"))),
        (_("Wear by the technical passport, %"), _text(p.get("wear_percent"))),
        (_("Actual wear, %"), _text(act.wear)),
        (_("Year of the last capital repair"), DASH),
        (_("Declared unsafe"), _text(p.get("is_emergency"))),
        (_("Storeys"), _text(p.get("floors_max"))),
        (_("Underground storeys (basement)"), _text(p.get("floors_underground"))),
        (_("Entrances"), _text(p.get("entrances_count"))),
        (_("Apartments"), _text(p.get("premises_residential"))),
        (_("Total area, m²"), _text(p.get("area_total"))),
    ]


def _where(defect) -> str:
    parts = [defect.get_place_display()]
    if defect.entrance_number:
        parts.append(_("entrance %(n)s") % {"n": defect.entrance_number})
    if defect.floor is not None:
        parts.append(_("storey %(n)s") % {"n": defect.floor})
    if defect.apartment_number:
        parts.append(_("apartment %(n)s") % {"n": defect.apartment_number})
    if defect.facade_side:
        parts.append(defect.get_facade_side_display())
    return ", ".join(parts)


def defect_line(defect) -> str:
    """A defect in one line: what, where, how large, how urgent."""
    size = (
        f"; {_text(defect.size)} {defect.get_size_unit_display()}"
        if defect.size is not None
        else ""
    )
    urgent = f" ({_('urgent')})" if defect.urgency == "urgent" else ""
    return f"{defect.description} — {_where(defect)}{size}{urgent}"


def section_two(act: Act) -> list[tuple[str, str, str, str]]:
    """Section II: per element, its description, its wear, its condition and its defects."""
    defects: dict[int, list[str]] = {}
    for defect in act.defects.all():
        defects.setdefault(defect.element_id, []).append(defect_line(defect))
    rows = []
    for act_element in act.elements.all():
        wear = _text(act_element.wear)
        if act_element.override is not None:
            wear += " " + _("(set by the commission: %(reason)s)") % {
                "reason": act_element.override_reason
            }
        rows.append(
            (
                act_element.element.name,
                act_element.description or DASH,
                wear,
                "\n".join([act_element.notes, *defects.get(act_element.element_id, [])]).strip()
                or DASH,
            )
        )
    return rows


def summary(act: Act) -> list[tuple[str, str]]:
    grades = _grades(act)
    return [
        (_("Building wear, %"), _text(act.wear)),
        (_("Condition"), grades.get((Scale.CONDITION, act.condition), _text(act.condition))),
        (
            _("Capital-repair class"),
            grades.get((Scale.CAPITAL_REPAIR, act.repair_class), _text(act.repair_class)),
        ),
        (
            _("Technical condition (ГОСТ 31937)"),
            grades.get((Scale.TECHNICAL, act.technical_state), _text(act.technical_state)),
        ),
        (_("Methodology"), str(act.methodology)),
    ]


def works(act: Act) -> list[tuple[str, str, str]]:
    return [
        (w.get_kind_display(), w.description, date_format(w.deadline, "DATE_FORMAT"))
        for w in act.works.all()
    ]


def title(act: Act) -> str:
    return _("Act of inspection of the building, %(date)s, version %(version)s") % {
        "date": date_format(act.inspected_on, "DATE_FORMAT"),
        "version": act.version,
    }


# --- PDF --------------------------------------------------------------------------------------


def act_pdf(*, act: Act) -> bytes:
    """The act as a PDF: title, section I, section II, the result, works, the commission."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title(act))
    pdf.add_page()
    bold = FontFace(emphasis="BOLD")

    def heading(text: str, size: int = 11) -> None:
        pdf.set_font("DejaVu", "B", size)
        pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)

    heading(title(act), 13)
    status = act.get_status_display()
    if act.corrects_id:
        status += ". " + _("Corrects version %(version)s: %(reason)s") % {
            "version": act.version - 1,
            "reason": act.correction_reason,
        }
    pdf.multi_cell(0, 5, status, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    heading(_("Section I. General information about the building"))
    with pdf.table(col_widths=(70, 120), headings_style=bold, first_row_as_headings=False) as t:
        for label, value in section_one(act):
            t.row((label, value))
    pdf.ln(3)
    heading(_("Section II. Elements of the building and their condition"))
    with pdf.table(col_widths=(40, 45, 30, 75), headings_style=bold) as t:
        t.row((_("Element"), _("Material and design"), _("Wear, %"), _("Condition, defects")))
        for row in section_two(act):
            t.row(row)
    pdf.ln(3)
    heading(_("Result"))
    with pdf.table(col_widths=(70, 120), first_row_as_headings=False) as t:
        for label, value in summary(act):
            t.row((label, value))
    if act.conclusion:
        pdf.ln(2)
        pdf.multi_cell(0, 5, act.conclusion, new_x="LMARGIN", new_y="NEXT")
    rows = works(act)
    if rows:
        pdf.ln(3)
        heading(_("Works needed"))
        with pdf.table(col_widths=(50, 110, 30), headings_style=bold) as t:
            t.row((_("Kind"), _("Work"), _("Deadline")))
            for row in rows:
                t.row(row)
    pdf.ln(3)
    heading(_("Commission"))
    with pdf.table(col_widths=(35, 70, 55, 30), headings_style=bold) as t:
        t.row((_("Role"), _("Name"), _("Position"), _("Signature")))
        for m in act.members.all():
            t.row((m.get_role_display(), m.name, m.position or DASH, ""))
    if act.signed_at:
        pdf.ln(2)
        pdf.multi_cell(
            0,
            5,
            _("Signed by the chair on %(date)s.")
            % {
                "date": date_format(
                    act.signed_at.astimezone(ZoneInfo(act.municipality.time_zone)).date(),
                    "DATE_FORMAT",
                )
            },
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())


# --- XLSX -------------------------------------------------------------------------------------


def act_xlsx(*, act: Act) -> bytes:
    """The act as a workbook: the building and the result, the elements, the works, the
    commission — one sheet each, headings in bold."""
    book = Workbook()
    head = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(name: str, headings: tuple[str, ...], rows, widths: tuple[int, ...], first=False):
        ws = book.active if first else book.create_sheet()
        ws.title = name[:31]
        ws.append(list(headings))
        for cell in ws[1]:
            cell.font = head
        for row in rows:
            ws.append(list(row))
        for index, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + index)].width = width
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap
        return ws

    sheet(
        _("Building"),
        (title(act), ""),
        [*section_one(act), ("", ""), *summary(act), (_("Conclusion"), act.conclusion or DASH)],
        (40, 70),
        first=True,
    )
    sheet(
        _("Elements"),
        (_("Element"), _("Material and design"), _("Wear, %"), _("Condition, defects")),
        section_two(act),
        (28, 30, 24, 70),
    )
    sheet(_("Works needed"), (_("Kind"), _("Work"), _("Deadline")), works(act), (32, 60, 14))
    sheet(
        _("Commission"),
        (_("Role"), _("Name"), _("Position")),
        [(m.get_role_display(), m.name, m.position) for m in act.members.all()],
        (16, 36, 36),
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
