"""`dastan avails import/export`: the same checks as the API, printed with line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from dastan.cli import main
from dastan.rights.models import Licence

from .factories import make_title

pytestmark = pytest.mark.django_db

GOOD = "LicenceRef,Title,LicenseType,Territory,Start,End\nKZ-1,steppe,SVOD,KZ,2027-01-01,2027-12-31\n"


def test_import_dry_run_then_import_then_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_title(slug="steppe")
    path = tmp_path / "avails.csv"
    path.write_text(GOOD)
    assert main(["avails", "import", str(path), "--dry-run"]) == 0
    assert "line 2: grant KZ-1" in capsys.readouterr().out and not Licence.objects.exists()
    assert main(["avails", "import", str(path)]) == 0
    assert Licence.objects.get().ref == "KZ-1"
    assert main(["avails", "export", "--tsv"]) == 0
    assert "KZ-1\tsteppe\t" in capsys.readouterr().out
    assert main(["rights", "decide", "steppe", "KZ", "--at", "2027-05-01T00:00:00+00:00"]) == 0
    assert "ALLOWED: Available in Kazakhstan from 1 January 2027" in capsys.readouterr().out


def test_import_of_a_bad_file_prints_each_bad_line_and_the_fix(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    make_title(slug="steppe")
    path = tmp_path / "avails.csv"
    path.write_text(GOOD + "KZ-2,steppe,SVOD,ZZ,2027-01-01,2026-12-31\n")
    assert main(["avails", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "line 3 (territories): 'ZZ' is not a country code" in err
    assert "line 3 (End): The window ends on 31 December 2026, before it starts on 1 January 2027" in err
    assert "error: The avails file has 1 bad row; nothing was imported." in err
    assert "fix: Correct the rows listed" in err
    assert not Licence.objects.exists()


def test_import_dry_run_prints_the_mapping_with_a_persons_column_choice(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_title(slug="steppe")
    path = tmp_path / "distributor.csv"
    path.write_text("\ufeffTitle ID;Pays;Avail Start;Rights;Notes\nsteppe;KZ;2027-01-01;SVOD;first window\n")
    assert main(["avails", "import", str(path), "--dry-run", "--map", "Pays=Territory"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert {"Pays → Territory", "Avail Start → Start", "Notes: not read",
            "line 2: grant steppe-SVOD-KZ-20270101"} <= set(out)
    assert not Licence.objects.exists()


def test_a_mapping_saved_from_the_command_line_reads_the_next_file(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    make_title(slug="steppe")
    first, second = tmp_path / "march.csv", tmp_path / "april.csv"
    first.write_text("Titre;Pays;Début;Droits\nsteppe;KZ;2027-03-01;SVOD\n")
    second.write_text("Titre;Pays;Début;Droits\nsteppe;UZ;2027-04-01;SVOD\n")
    assert main(["avails", "import", str(first), "--map", "Titre=Title", "--map", "Pays=Territory",
                 "--map", "Début=Start", "--map", "Droits=LicenseType", "--save-mapping", "Steppe Pictures"]) == 0
    assert "Saved the mapping for Steppe Pictures" in capsys.readouterr().out
    assert main(["avails", "mappings"]) == 0
    assert "Steppe Pictures" in capsys.readouterr().out
    assert main(["avails", "import", str(second), "--distributor", "Steppe Pictures", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Read with the mapping saved for Steppe Pictures" in out and "line 2: grant steppe-SVOD-UZ-20270401" in out
