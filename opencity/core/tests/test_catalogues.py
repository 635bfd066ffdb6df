"""The translation catalogues are complete enough to ship, and their compiled files match them.

Russian is the interface's own language and must cover every message; English must cover every
message too; Tatar may lag behind a little, never below its threshold. A message is counted
against the Russian catalogue's messages, so one missing from a catalogue counts as untranslated.
No entry may be fuzzy (gettext ignores fuzzy entries, so they show the English source), and a
translation keeps the placeholders of its source, or formatting it fails or loses the value.
Every string the code and the templates mark for translation is in the Russian catalogue (read
from the sources as makemessages reads them, without writing any catalogue).
"""

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation.template import templatize

LOCALE = Path(settings.LOCALE_PATHS[0])
SOURCES = Path(settings.BASE_DIR)
# The least share of the Russian catalogue's messages each catalogue translates.
THRESHOLDS = {"ru": 1.0, "en": 1.0, "tt": 0.95}
LANGUAGES = sorted(THRESHOLDS)

# A printf-style conversion as Python's % operator reads it: "%(name)s", "%d", "%.1f", "%%".
PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<conv>[diouxXeEfFgGcrsa%])"
)


@dataclass
class Entry:
    context: str | None = None
    msgid: str = ""
    plural: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self):
        return (self.context, self.msgid)

    @property
    def translated(self):
        return bool(self.msgstrs) and all(self.msgstrs) and "fuzzy" not in self.flags


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """Return the entries of a .po file (the header left out), read as gettext reads them."""
    entries: list[Entry] = []
    entry = Entry()
    target = None  # (attribute, index) the next continuation line adds to

    def finish():
        nonlocal entry
        if entry.msgid or entry.msgstrs:
            entries.append(entry)
        entry = Entry()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if entry.msgstrs:
                finish()
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith('"'):
            attribute, index = target
            if index is None:
                setattr(entry, attribute, getattr(entry, attribute) + _unquote(line))
            else:
                entry.msgstrs[index] += _unquote(line)
            continue
        keyword, _, value = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and entry.msgstrs:
            finish()
        if keyword == "msgctxt":
            entry.context, target = _unquote(value), ("context", None)
        elif keyword == "msgid":
            entry.msgid, entry.line, target = _unquote(value), number, ("msgid", None)
        elif keyword == "msgid_plural":
            entry.plural, target = _unquote(value), ("plural", None)
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            entry.msgstrs.append(_unquote(value))
            target = ("msgstrs", len(entry.msgstrs) - 1)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return [e for e in entries if e.msgid]


def catalogue(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def _placeholders(text: str) -> tuple[set[str], list[str]]:
    """Return the named placeholders of a python-format string and its positional ones in order."""
    named, positional = set(), []
    for match in PERCENT.finditer(text):
        if match["conv"] == "%":
            continue
        if match["name"] is not None:
            named.add(f"%({match['name']}){match['conv']}")
        else:
            positional.append(f"%{match['conv']}")
    return named, positional


def _placeholder_problems(entry: Entry) -> list[str]:
    if "python-format" not in entry.flags:
        return []
    problems = []
    source_named, source_positional = _placeholders(entry.msgid)
    if entry.plural is not None:
        plural_named, plural_positional = _placeholders(entry.plural)
        source_named |= plural_named
        source_positional = plural_positional or source_positional
    for msgstr in entry.msgstrs:
        if not msgstr:
            continue
        named, positional = _placeholders(msgstr)
        # Every plural form keeps the count too: Russian's "one" form also serves 21, 31, …, and
        # Tatar's only form serves every number.
        if named != source_named or positional != source_positional:
            problems.append(f"line {entry.line}: {entry.msgid!r} -> {msgstr!r}")
    return problems


@pytest.fixture(scope="module")
def catalogues():
    return {language: parse_po(catalogue(language)) for language in LANGUAGES}


def test_the_parser_reads_every_entry_msgfmt_counts(catalogues):
    if not shutil.which("msgfmt"):
        pytest.skip("gettext's msgfmt is not installed")
    for language, entries in catalogues.items():
        result = subprocess.run(
            ["msgfmt", "--statistics", "-o", "/dev/null", str(catalogue(language))],
            capture_output=True,
            text=True,
            check=True,
        )
        counts = [
            int(n) for n in re.findall(r"(\d+) (?:translated|untranslated|fuzzy)", result.stderr)
        ]
        assert sum(counts) == len(entries), (language, result.stderr)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_passes_msgfmt_checks(language):
    if not shutil.which("msgfmt"):
        pytest.skip("gettext's msgfmt is not installed")
    result = subprocess.run(
        ["msgfmt", "--check", "--check-format", "-o", "/dev/null", str(catalogue(language))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_reaches_its_threshold(catalogues, language):
    messages = {entry.key for entry in catalogues["ru"]}
    translated = {entry.key for entry in catalogues[language] if entry.translated} & messages
    share = len(translated) / len(messages)
    missing = sorted(msgid for _, msgid in messages - translated)
    assert share >= THRESHOLDS[language], (
        f"{language}: {len(translated)} of {len(messages)} messages translated ({share:.1%}), "
        f"the least is {THRESHOLDS[language]:.0%}; untranslated, e.g.: {missing[:20]}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_fuzzy_and_no_duplicate_entries(catalogues, language):
    entries = catalogues[language]
    assert [e.msgid for e in entries if "fuzzy" in e.flags] == []
    keys = [e.key for e in entries]
    assert sorted({k for k in keys if keys.count(k) > 1}, key=str) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_message_the_russian_one_lacks(catalogues, language):
    """Russian is the reference: a message translated elsewhere but not in Russian is a slip."""
    assert (
        sorted({e.key for e in catalogues[language]} - {e.key for e in catalogues["ru"]}, key=str)
        == []
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_their_source(catalogues, language):
    problems = [
        problem for entry in catalogues[language] for problem in _placeholder_problems(entry)
    ]
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_entries_have_the_forms_of_the_language(catalogues, language):
    header = catalogue(language).read_text(encoding="utf-8").split("\n\n", 1)[0]
    nplurals = int(re.search(r"nplurals=(\d+)", header)[1])
    wrong = [
        (e.msgid, len(e.msgstrs))
        for e in catalogues[language]
        if e.plural is not None and e.translated and len(e.msgstrs) != nplurals
    ]
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(catalogues, language):
    """The .mo Django reads holds every translation of the .po (compilemessages was run)."""
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    stale = []
    for entry in catalogues[language]:
        if not entry.translated:
            continue
        msgid = entry.msgid if entry.context is None else f"{entry.context}\x04{entry.msgid}"
        if entry.plural is None:
            got = translations._catalog.get(msgid)
            if got != entry.msgstrs[0]:
                stale.append(entry.msgid)
        elif [
            translations._catalog.get((msgid, n)) for n in range(len(entry.msgstrs))
        ] != entry.msgstrs:
            stale.append(entry.msgid)
    assert stale == [], (
        f"{len(stale)} translations are not in the compiled {language} catalogue: run "
        f"`cd opencity && python ../manage.py compilemessages -l ru -l en -l tt`; e.g. {stale[:10]}"
    )


# The translation functions: the index of the msgid and of the context among their arguments.
GETTEXT = {
    "_": (0, None),
    "gettext": (0, None),
    "gettext_lazy": (0, None),
    "gettext_noop": (0, None),
    "ngettext": (0, None),
    "ngettext_lazy": (0, None),
    "pgettext": (1, 0),
    "pgettext_lazy": (1, 0),
    "npgettext": (1, 0),
    "npgettext_lazy": (1, 0),
}
# A Python string literal as templatize writes one (repr of a str).
LITERAL = re.compile(r"""\s*[uU]?((?:'(?:[^'\\\n]|\\.)*')|(?:"(?:[^"\\\n]|\\.)*"))\s*(,)?""")


def _python_messages(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in GETTEXT:
            continue
        msgid_at, context_at = GETTEXT[name]
        literal = [
            a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
            for a in node.args
        ]
        if len(literal) <= msgid_at or literal[msgid_at] is None:
            continue  # a variable: its strings are marked where they are written
        if context_at is not None and literal[context_at] is None:
            continue
        yield (None if context_at is None else literal[context_at], literal[msgid_at]), node.lineno


def _template_messages(path: Path):
    # templatize is what makemessages feeds to xgettext: {% translate %} and {% blocktranslate %}
    # become gettext(), pgettext(), ngettext() and npgettext() calls on literals.
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    for call in re.finditer(r"\b(gettext|pgettext|ngettext|npgettext)\(", code):
        arguments, position = [], call.end()
        while match := LITERAL.match(code, position):
            arguments.append(ast.literal_eval(match[1]))
            position = match.end()
            if not match[2]:
                break
        msgid_at, context_at = GETTEXT[call[1]]
        assert len(arguments) > msgid_at, (
            f"{path}: cannot read {code[call.start() : call.start() + 80]!r}"
        )
        context = None if context_at is None else arguments[context_at]
        yield (context, arguments[msgid_at]), code.count("\n", 0, call.start()) + 1


def source_messages():
    """(context, msgid) -> the places that mark it, over the app's code and templates."""
    found: dict[tuple, list[str]] = {}
    sources = [SOURCES / "config" / "settings.py"]
    sources += [
        p
        for p in sorted((SOURCES / "opencity").rglob("*.py"))
        if not {"tests", "migrations"} & set(p.parts)
    ]
    templates = sorted(
        p for p in (SOURCES / "opencity").rglob("*") if "templates" in p.parts and p.is_file()
    )
    for path, reader in [(p, _python_messages) for p in sources] + [
        (p, _template_messages) for p in templates
    ]:
        if reader is _template_messages and path.suffix not in (".html", ".txt", ".xml", ".ics"):
            continue
        for key, line in reader(path):
            found.setdefault(key, []).append(f"{path.relative_to(SOURCES)}:{line}")
    return found


def test_the_source_reader_finds_python_and_template_strings():
    found = source_messages()
    assert (None, "Russian") in found  # config/settings.py, gettext_lazy as _
    assert any(".html:" in place for places in found.values() for place in places)
    assert len(found) > 1000


def test_every_marked_string_is_in_the_russian_catalogue(catalogues):
    russian = {entry.key for entry in catalogues["ru"]}
    missing = {key: places for key, places in source_messages().items() if key not in russian}
    assert missing == {}, (
        f"{len(missing)} strings marked for translation are not in opencity/locale/ru/LC_MESSAGES/django.po "
        "(append them, with their English and Tatar entries, at the end of the three catalogues)"
    )


def _msgid(text):
    """Return the msgid of a lazily translated string, or None for a plain (untranslated) str."""
    args = getattr(text, "_args", None)
    return args[0] if isinstance(text, Promise) and args else None


def test_every_model_and_field_has_a_verbose_name_in_the_catalogue(catalogues):
    """The admin's columns, filters and labels are verbose names: none may fall back to English."""
    russian = {
        msgid for context, msgid in (entry.key for entry in catalogues["ru"]) if context is None
    }
    lacking = []
    for model in apps.get_models():
        if not model.__module__.startswith("opencity."):
            continue
        meta = model._meta
        names = [
            ("Meta.verbose_name", meta.verbose_name),
            ("Meta.verbose_name_plural", meta.verbose_name_plural),
        ]
        names += [
            (f.name, f.verbose_name)
            for f in meta.get_fields()
            if not f.auto_created and getattr(f, "verbose_name", None) is not None
        ]
        for name, text in names:
            if _msgid(text) not in russian:
                lacking.append(f"{meta.label}.{name}: {text!r}")
    assert lacking == []


# The errors a visitor reads: their message must go through gettext, not be a bare literal.
USER_FACING_ERRORS = {
    "PermissionDenied",
    "Invalid",
    "NotFound",
    "Conflict",
    "DomainError",
    "Http404",
}


def test_no_user_facing_error_is_raised_with_an_untranslated_literal():
    bare = []
    for path in sorted((SOURCES / "opencity").rglob("*.py")):
        if {"tests", "migrations"} & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            name = getattr(node.exc.func, "id", None) or getattr(node.exc.func, "attr", None)
            first = node.exc.args[0] if node.exc.args else None
            literal = isinstance(first, ast.JoinedStr) or (
                isinstance(first, ast.Constant) and isinstance(first.value, str)
            )
            if name in USER_FACING_ERRORS and literal:
                bare.append(f"{path.relative_to(SOURCES)}:{node.lineno}: {ast.unparse(first)}")
    assert bare == []
