"""manage.py import_organisations: a thin command that reports and exits non-zero on bad rows."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from sinergia.directory.models import Organisation

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_organisations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_and_reports_counts(tmp_path):
    path = tmp_path / "musei.csv"
    path.write_text("id;name;latitude;longitude\n1;Museo;0;0\n2;Pinacoteca;45.1;9.2\n", encoding="utf-8")
    out, _err = run(str(path), "--source", "test-set")
    assert out.splitlines() == [
        "line 2: The coordinates 0, 0 are a placeholder; imported without a location.",
        "Imported from source “test-set”: 2 created, 0 updated, 0 unchanged; 1 warning(s).",
    ]
    assert Organisation.objects.filter(source="test-set").count() == 2


def test_command_lists_bad_rows_exits_non_zero_and_writes_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("name,latitude,longitude\nGood,45,9\n,45,9\nBad,45,999\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"^2 row\(s\) have errors; nothing was imported\.$"):
        call_command("import_organisations", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "line 3: The name is missing.",
        "line 4: The coordinates 45, 999 are out of range (latitude −90…90, longitude −180…180).",
    ]
    assert Organisation.objects.count() == 0


def test_command_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("name\nMuseo\n", encoding="utf-8")
    out, _err = run(str(path), "--dry-run")
    assert out.strip() == "Would import from source “x”: 1 created, 0 updated, 0 unchanged; 0 warning(s)."
    assert Organisation.objects.count() == 0


def test_command_explicit_delimiter_and_format(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("name|municipality\nMuseo, della carta|Fabriano\n", encoding="utf-8")
    run(str(path), "--format", "csv", "--delimiter", "|")
    assert Organisation.objects.get().name == "Museo, della carta"


def test_command_bad_mapping_is_a_command_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("nome\nMuseo\n", encoding="utf-8")
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"name": "titolo"}), encoding="utf-8")
    with pytest.raises(CommandError, match="The mapping names columns that are not in the file: titolo"):
        run(str(path), "--mapping", str(mapping))


def test_command_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        run(str(tmp_path / "nothing.csv"))
