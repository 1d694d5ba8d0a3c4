"""Certificates print Urdu, Persian and Hindi names as they are written: letters joined and
right to left, conjuncts formed and vowel signs in place, and the name copies out of the
PDF as it was typed.

The rasterised name (poppler's pdftoppm) is compared with an independent rendering of the
same name in the same font by Pillow's libraqm (HarfBuzz and FriBidi): its width and its
ink profile along the line match; the same name drawn unshaped (what reportlab does
without HarfBuzz: isolated letters, left to right, a visible virama) does not. The PNGs
go to /tmp/shots/labs-certificate-*.png."""

from __future__ import annotations

import io
import itertools
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont, features
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from dastan.labs import mentoring, selection, typesetting
from dastan.labs.models import Certificate, Room
from dastan.labs.tests.factories import lab_world, submitted_application

pytestmark = pytest.mark.django_db

SHOTS = Path("/tmp/shots")
DPI = 100
NAME_PT, NAME_FROM_TOP_PT = 24, 230  # where certificate_pdf sets the participant's name
NAMES = [("ur", "عائشہ", "خان"), ("hi", "प्रिया", "शर्मा"), ("fa", "فاطمه", "رحیمی\u200cنژاد")]


@pytest.fixture
def certificate() -> Certificate:
    world = lab_world()
    p = world.people
    application = submitted_application(world)
    selection.decide(
        user=p["chair"], application_id=application.pk, decision="selected", reason="Yes."
    )
    return mentoring.issue_certificate(by=None, room=Room.objects.get(application=application))


def _png(pdf: bytes, tmp_path: Path, name: str) -> np.ndarray:
    (tmp_path / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(DPI),
            "-gray",
            "-singlefile",
            str(tmp_path / f"{name}.pdf"),
            str(tmp_path / name),
        ],
        check=True,
    )
    return np.asarray(Image.open(tmp_path / f"{name}.png").convert("L"))


def _name_band(page: np.ndarray) -> np.ndarray:
    """The rows of the name's line (with room for a reph above and Naskh's descent below)."""
    top, bottom = (round((NAME_FROM_TOP_PT + d) * DPI / 72) for d in (-NAME_PT - 3, 0.6 * NAME_PT))
    return page[top:bottom]


def _ink(img: np.ndarray) -> np.ndarray:
    ink = img < 128
    ys, xs = np.nonzero(ink)
    assert len(xs), "no ink where the name should be"
    return ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def _profile(box: np.ndarray, bins: int = 120) -> np.ndarray:
    """Ink per slice along the line, as many slices whatever the width."""
    cols = box.sum(axis=0).astype(float)
    edges = np.linspace(0, len(cols), bins + 1).astype(int)
    return np.array([cols[a:b].sum() for a, b in itertools.pairwise(edges)])


def _similar(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(_profile(a), _profile(b))[0, 1])


def _reference(text: str, script: str) -> np.ndarray:
    """The name as libraqm (HarfBuzz + FriBidi, through Pillow) sets it, same font and size."""
    font = ImageFont.truetype(
        str(typesetting.FONTS[script][1]),
        round(NAME_PT * DPI / 72),
        layout_engine=ImageFont.Layout.RAQM,
    )
    img = Image.new("L", (2400, 200), 255)
    ImageDraw.Draw(img).text((20, 40), text, font=font, fill=0)
    return np.asarray(img)


def _unshaped(text: str, script: str, tmp_path: Path) -> np.ndarray:
    """The name as reportlab draws it without HarfBuzz, in the same font and place."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=landscape(A4))
    width, height = landscape(A4)
    pdf.setFont(typesetting.font_name(script, bold=True), NAME_PT)
    pdf.drawCentredString(width / 2, height - NAME_FROM_TOP_PT, text)
    pdf.showPage()
    pdf.save()
    return _png(buffer.getvalue(), tmp_path, "unshaped")


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils is not installed")
@pytest.mark.skipif(not features.check("raqm"), reason="Pillow has no libraqm to compare against")
@pytest.mark.parametrize(("language", "first", "last"), NAMES, ids=[n[0] for n in NAMES])
def test_a_name_in_arabic_script_or_devanagari_prints_shaped_and_copies_out_as_typed(
    certificate: Certificate, tmp_path: Path, language: str, first: str, last: str
) -> None:
    applicant = certificate.room.application.applicant
    applicant.first_name, applicant.last_name = first, last
    applicant.save()
    name = f"{first} {last}"
    pdf = mentoring.certificate_pdf(
        certificate=certificate, verify_url="https://node.example/labs/certificates/x/"
    )
    script = typesetting.script_of(first[0])

    page = _png(pdf, tmp_path, "certificate")
    SHOTS.mkdir(parents=True, exist_ok=True)
    Image.fromarray(page).save(SHOTS / f"labs-certificate-{language}.png")
    shaped, reference = _ink(_name_band(page)), _ink(_reference(name, script))
    unshaped = _ink(_name_band(_unshaped(name, script, tmp_path)))
    # Joined letters and conjuncts are narrower than the letters set one by one.
    assert abs(shaped.shape[1] - reference.shape[1]) <= 0.03 * reference.shape[1], (
        shaped.shape,
        reference.shape,
    )
    assert abs(unshaped.shape[1] - reference.shape[1]) > 0.1 * reference.shape[1], (
        unshaped.shape,
        reference.shape,
    )
    # The ink along the line follows the reference's letters in the reference's order.
    assert _similar(shaped, reference) > 0.6
    assert _similar(unshaped, reference) < 0.4

    # The name as typed is the text of its glyphs (PDF /ActualText), and poppler reads it so.
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
    assert content is not None
    assert ("<FEFF" + name.encode("utf-16-be").hex().upper() + ">").encode() in content.get_data()
    if script == "devanagari":
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert name in text
    else:
        # Arabic-script glyphs are the font's joined forms, which read back as the name (pypdf
        # reads the gap of a zero-width non-joiner as a space).
        extracted = unicodedata.normalize(
            "NFKC", PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        )
        letters = str.maketrans("", "", " \u200c")
        assert name.translate(letters) in extracted.translate(letters)


def test_latin_and_cyrillic_lines_keep_their_letters_and_a_mixed_line_reads_in_bidi_order(
    certificate: Any,
) -> None:
    # Left to right: the English words, then the year, then the Persian title read from its right.
    runs = typesetting.runs("took part in کارگاه نویسنده, 2025")
    assert [(r.text, r.level) for r in runs] == [
        ("took part in ", 0),
        ("2025", 2),
        ("کارگاه نویسنده, ", 1),
    ]
    assert [r.text for r in typesetting.runs("Айгерим Нұрланқызы")] == ["Айгерим Нұрланқызы"]
    # Numbers after Latin letters stay where they are (UAX #9 W7).
    assert [r.text for r in typesetting.runs("01 April 2099 - 30 September 2099, Karachi")] == [
        "01 April 2099 - 30 September 2099, Karachi"
    ]
    # In a right-to-left name, a number still reads left to right, after the words before it.
    assert [r.text for r in typesetting.runs("کارگاه ۲۰۲۵")] == ["۲۰۲۵", "کارگاه "]
    assert typesetting.levels("فاطمه رحیمی\u200cنژاد") == [1] * 16  # the ZWNJ stays inside the word


def test_a_missing_font_is_named_with_its_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(
        typesetting.FONTS,
        "gurmukhi",
        (tmp_path / "none.ttf", tmp_path / "none-bold.ttf", "fonts-noto-core"),
    )
    with pytest.raises(typesetting.FontMissing, match="Install Debian's fonts-noto-core"):
        typesetting.font_name("gurmukhi", bold=True)
