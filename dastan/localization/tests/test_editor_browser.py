"""The editor in headless Chromium, driven by the keyboard only: a translator opens their
task from the queue, translates cues, sets a start at the playhead, splits one cue and
merges two, inserts a memory match, fixes a spelling flag, approves cues and submits —
and the track's cues, timing and revision history are what was typed. Screenshots of
the editor in Kazakh and in Urdu (right to left, timecodes left to right) go to
/tmp/shots/workbench-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dastan.accounts.models import Membership
from dastan.catalog.models import Organisation, Title
from dastan.catalog.tests.factories import member_of
from dastan.localization.models import CueRevision, MemoryEntry, SubtitleTrack, TranslationTask
from dastan.localization.pivots import start_human_translation
from dastan.localization.spelling import dictionary_path
from dastan.localization.tracks import CueData, create_track

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")
PASSWORD = "a-long-translator-password"
SOURCE = ["We set out at dawn.", "The road was long.", "Noori came.", "At dawn, friends.",
          "We arrived.", "The city slept."]


@pytest.fixture
def task() -> TranslationTask:
    studio = Organisation.objects.create(name="Lahore Pictures", slug="lahore", kind="studio", country="PK")
    title = Title.objects.create(slug="caravan", original_language="en", country_of_origin="PK", owner=studio)
    source = create_track(title=title, language="en", origin="upload", is_source=True,
                          state=SubtitleTrack.State.APPROVED,
                          cues=[CueData(i * 4000, i * 4000 + 3000, text) for i, text in enumerate(SOURCE)])
    MemoryEntry.objects.create(organisation=studio, source_language="en", target_language="kk", source_key="k",
                               source_text="At dawn, my friends.", target_text="Таң атқанда, достарым.")
    manager = member_of(studio, username="manager", role="editor", password=PASSWORD)
    translator = member_of(studio, username="dana", role="translator", password=PASSWORD)
    return start_human_translation(source_track=source, target_language="kk", by=manager, assignee=translator)


def _page(browser: Any, base: str, language: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, bypass_csp=True)
    context.add_cookies([{"name": "dastan_language", "value": language, "url": base}])
    page = context.new_page()
    page.goto(base + "/studio/login/")
    page.fill("#id_username", "dana")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def _saved(page: Any) -> None:
    page.wait_for_function("document.getElementById('ed-status').className.includes('ed-ok')")


def test_a_translator_does_a_task_with_the_keyboard_only(browser: Any, live_server: Any,
                                                         task: TranslationTask) -> None:
    if dictionary_path("kk") is None:
        pytest.skip("Debian's Kazakh dictionary is not installed (apt-get install hunspell-kk).")
    page = _page(browser, live_server.url, "en")
    page.goto(live_server.url + "/studio/queue/")
    page.get_by_role("link", name="Translate", exact=True).focus()
    page.keyboard.press("Enter")  # opens the task
    page.wait_for_selector("#editor[data-ready='1']")
    key = page.keyboard
    typed = ["Біз таң атқанда жолға шықтық.", "Жол ұзақ болды.", "Нури келді."]
    for text in typed:  # cues 1–3
        key.type(text)
        key.press("Alt+ArrowDown")
    key.press("Alt+1")  # cue 4: the memory's fuzzy match for "At dawn, friends."
    key.press("Control+Enter")  # approve cue 4, on to cue 5
    key.type("Біз жеттік.")
    key.press("Alt+ArrowDown")
    key.type("Қала ұйықтады. Біз шыктық")  # cue 6, with a misspelling
    page.wait_for_selector("#ed-cue-6 .ed-misspelt", timeout=60_000)
    key.press("Alt+p")  # the first suggestion replaces the flagged word
    _saved(page)
    # Cue 5 (16.0–19.0 s): its start moves to the playhead, one second later.
    key.press("Alt+ArrowUp")
    key.press("Alt+l")
    key.press("Alt+i")
    _saved(page)
    # Cue 1 (0–3 s): split at 1 s, the text at the caret (after the first clause).
    for _ in range(4):
        key.press("Alt+ArrowUp")
    key.press("Control+Home")
    for _ in range(len("Біз таң атқанда ")):
        key.press("ArrowRight")
    key.press("Alt+l")  # playhead 1.0 s
    key.press("Alt+s")
    page.wait_for_function("document.querySelectorAll('.ed-cue').length === 7")
    # Cues 6 and 7 (the old 5 and 6): merged into one.
    for _ in range(4):  # from the split's second half (cue 2) to cue 6
        key.press("Alt+ArrowDown")
    key.press("Alt+m")
    page.wait_for_function("document.querySelectorAll('.ed-cue').length === 6")
    key.press("Control+Shift+Enter")
    page.wait_for_selector("#editor[data-submitted='1']")

    track = SubtitleTrack.objects.get(pk=task.track_id)
    cues = [(c.start_ms, c.end_ms, c.text) for c in track.cues.all()]
    assert cues == [
        (0, 1000, "Біз таң атқанда"),
        (1000, 3000, "жолға шықтық."),
        (4000, 7000, "Жол ұзақ болды."),
        (8000, 11000, "Нури келді."),
        (12000, 15000, "Таң атқанда, достарым."),
        (17000, 23000, "Біз жеттік.\nҚала ұйықтады. Біз шықтық"),
    ]
    assert track.state == SubtitleTrack.State.IN_REVIEW and track.provenance["route"] == ["en", "kk"]
    assert TranslationTask.objects.get(pk=task.pk).state == TranslationTask.State.SUBMITTED
    notes = set(CueRevision.objects.filter(cue__track=track, author__username="dana").values_list("note", flat=True))
    assert {"edited", "split at 1000 ms", "split from cue 1"} <= notes
    assert any(n.startswith("merged with cue 7") for n in notes)
    history = list(CueRevision.objects.filter(cue__track=track, cue__index=6).values_list("text", flat=True))
    assert "Біз жеттік." in history and history[-1] == "Біз жеттік.\nҚала ұйықтады. Біз шықтық"


@pytest.mark.parametrize(("language", "text"), [("kk", "Біз таң атқанда жолға шықтық."),
                                                ("ur", "ہم صبح سویرے روانہ ہوئے۔")])
def test_screenshots_of_the_editor_in_kazakh_and_urdu(browser: Any, live_server: Any, task: TranslationTask,
                                                      language: str, text: str) -> None:
    """Each interface language edits a track in its own language: Urdu right to left, its
    timecodes and counters left to right."""
    source = SubtitleTrack.objects.get(title=task.track.title, is_source=True)
    manager = Membership.objects.get(user__username="manager").user
    track_id = task.track_id if language == "kk" else start_human_translation(
        source_track=source, target_language="ur", by=manager).track_id
    page = _page(browser, live_server.url, language)
    page.goto(live_server.url + f"/studio/editor/{track_id}/")
    page.wait_for_selector("#editor[data-ready='1']")
    page.keyboard.type(text)
    page.keyboard.press("Alt+h")
    page.wait_for_selector("#ed-help:not([hidden])")
    if language == "ur":
        page.keyboard.press("Alt+h")  # closed again, to show the cues
        page.wait_for_selector("#ed-help", state="hidden")
        assert page.evaluate("getComputedStyle(document.querySelector('.ed-text')).direction") == "rtl"
    assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ur" else "ltr")
    assert page.evaluate("getComputedStyle(document.querySelector('.ed-start')).direction") == "ltr"
    assert page.evaluate("getComputedStyle(document.querySelector('.ed-counters .ed-num')).direction") == "ltr"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"workbench-{language}.png"), full_page=False)


def test_qc_messages_follow_the_typing_in_the_interface_language(browser: Any, live_server: Any,
                                                                 task: TranslationTask) -> None:
    """The review desk's rules, not only layout and timing, as the translator types: a
    glossary term left out is flagged in Russian, and the flag goes when it is put in."""
    from dastan.localization.models import GlossaryTerm

    GlossaryTerm.objects.create(organisation=task.track.title.owner, source_language="en", target_language="kk",
                                source_term="Noori", target_term="Нури")
    page = _page(browser, live_server.url, "ru")
    page.goto(live_server.url + f"/studio/editor/{task.track_id}/")
    page.wait_for_selector("#editor[data-qc-ready='1']")
    assert page.inner_text("#ed-cue-1 .ed-qc li[data-rule=empty_cue]") == "В реплике нет текста."
    key = page.keyboard
    key.press("Alt+ArrowDown")
    key.press("Alt+ArrowDown")  # cue 3: "Noori came."
    assert page.query_selector("#ed-cue-3 .ed-qc li[data-rule=empty_cue]") is not None
    key.type("Нура келді.")
    page.wait_for_selector("#ed-cue-3 .ed-qc li[data-rule=empty_cue]", state="detached")  # the typed text's answer
    flag = "#ed-cue-3 .ed-qc li[data-rule=glossary_term_missing]"
    assert page.inner_text(flag) == "Глоссарий передаёт «Noori» как «Нури», а этого нет в переводе."
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "workbench-qc-ru-flagged.png"), full_page=False)
    key.press("Control+a")
    key.type("Нури келді.")
    page.wait_for_selector(flag, state="detached")
    page.screenshot(path=str(SHOTS / "workbench-qc-ru.png"), full_page=False)
