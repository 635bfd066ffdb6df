from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from opencity.buildings.models import Building
from opencity.core.tests.factories import MunicipalityFactory

REFORMA = Path(__file__).parent / "data" / "reforma_kazan.csv"


@pytest.mark.django_db
def test_import_command_prints_progress_errors_and_summary():
    city = MunicipalityFactory(slug="kazan")
    out, err = StringIO(), StringIO()
    call_command(
        "import_buildings", str(REFORMA), "--municipality", "kazan", stdout=out, stderr=err
    )
    text = out.getvalue()
    assert "8 / 8 rows" in err.getvalue()
    assert "row 5, ADDRESS: the address is required" in text
    assert "row 6, AREA: not a number [много] (value dropped)" in text
    assert "8 rows (reforma format): 5 created, 0 updated, 0 unchanged, 3 failed" in text
    assert Building.objects.filter(municipality=city).count() == 5


@pytest.mark.django_db
def test_import_command_dry_run_and_unreadable_file(tmp_path):
    MunicipalityFactory(slug="kazan")
    out = StringIO()
    call_command(
        "import_buildings",
        str(REFORMA),
        "--municipality",
        "kazan",
        "--dry-run",
        stdout=out,
        stderr=StringIO(),
    )
    assert "Dry run, nothing saved" in out.getvalue()
    assert not Building.objects.exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("foo,bar\n1,2\n")
    with pytest.raises(CommandError):
        call_command("import_buildings", str(bad), "--municipality", "kazan", stderr=StringIO())


@pytest.mark.django_db
def test_export_command_round_trips(tmp_path):
    MunicipalityFactory(slug="kazan")
    call_command(
        "import_buildings",
        str(REFORMA),
        "--municipality",
        "kazan",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    target = tmp_path / "out.xlsx"
    call_command(
        "export_buildings",
        "--municipality",
        "kazan",
        "--format",
        "xlsx",
        "-o",
        str(target),
        stdout=StringIO(),
    )
    MunicipalityFactory(slug="copy")
    out = StringIO()
    call_command(
        "import_buildings", str(target), "--municipality", "copy", stdout=out, stderr=StringIO()
    )
    assert "5 rows (own format): 5 created, 0 updated, 0 unchanged, 0 failed" in out.getvalue()
