"""The site's colour pairs keep a contrast of at least 4.5:1 (WCAG AA for body text)."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"


def variables() -> dict[str, str]:
    return dict(re.findall(r"--(color-[a-z-]+):\s*(#[0-9a-fA-F]{6})", CSS.read_text()))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    ("foreground", "background"),
    [
        ("color-text", "color-bg"),
        ("color-text", "color-surface"),
        ("color-muted", "color-bg"),
        ("color-muted", "color-surface"),
        ("color-muted", "color-surface-alt"),
        ("color-primary", "color-surface"),
        ("color-primary", "color-bg"),
        ("color-primary-hover", "color-primary-soft"),
        ("color-on-primary", "color-primary"),
        ("color-on-primary", "color-primary-hover"),
        ("color-on-header", "color-header"),
        ("color-error", "color-surface"),
        ("color-error", "color-error-soft"),
        ("color-success", "color-success-soft"),
        ("color-warning", "color-warning-soft"),
    ],
)
def test_text_colours_have_enough_contrast(foreground, background):
    colours = variables()

    assert contrast(colours[foreground], colours[background]) >= 4.5
