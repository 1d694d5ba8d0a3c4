"""A leaked page names its recipient among twenty: (a) the downloaded PDF, (b) one page
rendered to PNG by pdftoppm, (c) that PNG re-compressed as JPEG at quality 60 and scaled
to 70 % — through `dastan bazaar trace FILE`, the command an owner's operator runs."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from dastan.bazaar import scripts
from dastan.bazaar.tests.factories import org_profile, person_profile, project
from dastan.cli import main

pytestmark = pytest.mark.django_db

SCENE = "\n".join([
    "INT. CARAVANSERAI - NIGHT", "", "Wind at the shutters. NOORI counts coins by a lamp.", "",
    "NOORI", "(quietly)", "Tomorrow we reach Samarkand, or we turn back for good.", "",
    "JAHAN", "Then we reach it. My father's debts are not mine to carry.", "", "CUT TO:", ""] * 10)


@pytest.fixture
def shared(settings: Any, tmp_path: Path) -> dict[str, Any]:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    settings.MEDIA_ROOT = tmp_path / "media"
    owner, producer = org_profile(name="Lollywood Pictures", country="PK")
    film = project(owner=owner, user=producer, title="The Caravan")
    script = scripts.add_script(user=producer, project_id=film.pk, name="caravan", content=SCENE.encode(),
                                filename="caravan.fountain", allow_download=True)
    readers = []
    for n in range(20):
        _profile, reader = person_profile(name=f"Reader Number{n}", username=f"reader{n}")
        grant = scripts.share_script(user=producer, script_id=script.pk, recipient=reader)
        scripts.accept_nda(user=reader, script_id=script.pk, text_shown=script.nda_text, affirmed=True,
                           ip="127.0.0.1")
        readers.append((reader, grant))
    return {"script": script, "readers": readers, "dir": tmp_path}


def _trace(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["bazaar", "trace", str(path)]) == 0
    return capsys.readouterr().out


def test_each_leak_form_names_the_recipient_among_twenty(shared: dict[str, Any],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    reader, _grant = shared["readers"][13]
    name, pdf = scripts.download_copy(user=reader, script_id=shared["script"].pk, ip="10.0.0.13")
    assert name.endswith("reader13.pdf")
    leaked_pdf = shared["dir"] / "leak.pdf"
    leaked_pdf.write_bytes(pdf)
    # The visible mark is on every page.
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2
    assert all("Reader Number13" in page.extract_text() for page in pages)

    png = shared["dir"] / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "2", "-l", "2", "-singlefile", str(leaked_pdf), str(png)],
                   check=True)
    png = png.with_suffix(".png")
    image = Image.open(png).convert("RGB")
    jpeg = shared["dir"] / "photo.jpg"
    image.resize((int(image.width * 0.7), int(image.height * 0.7)), Image.Resampling.LANCZOS).save(jpeg, quality=60)

    for leak in (leaked_pdf, png, jpeg):
        out = _trace(leak, capsys)
        assert "reader13" in out and "Reader Number13" in out, (leak.name, out)
        for other in ("reader12", "reader14", "reader1 ", "reader3 "):
            assert other not in out


def test_a_page_marked_for_nobody_is_not_pinned_on_anyone(shared: dict[str, Any],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    original = Path(shared["dir"] / "media" / shared["script"].path)
    assert main(["bazaar", "trace", str(original)]) == 2
    assert "No copy's mark is clear" in capsys.readouterr().err
