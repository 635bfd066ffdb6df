"""The apps' layers: an app imports only from the apps below it ([tool.importlinter] in
pyproject.toml, checked by import-linter over every module, tests included)."""

from pathlib import Path

from importlinter import configuration
from importlinter.application.use_cases import lint_imports

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"


def test_no_app_imports_from_an_app_above_it(capsys, monkeypatch):
    configuration.configure()
    monkeypatch.chdir(PYPROJECT.parent)
    kept = lint_imports(config_filename=str(PYPROJECT), cache_dir=None, no_logo=True)
    report = capsys.readouterr().out
    assert kept, report
