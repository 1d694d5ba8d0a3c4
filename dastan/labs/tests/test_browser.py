"""Labs in headless Chromium, on real HLS packages: the call page in a Chinese applicant's
language with the deadline in their clock, the programme page in Persian (right to left)
and Kazakh, the committee's screener with the member's watermark over the picture beside
the scoring form, and the mentoring room where a mentor's timecoded note jumps the player
to its time; and a host who builds a programme, an edition, its call and committee through
the hosts' pages, whose call then shows on the public page. Screenshots go to
/tmp/shots/labs-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files import storage as storage_module
from django.core.files.uploadedfile import SimpleUploadedFile

from dastan.accounts.models import Membership
from dastan.catalog.models import Organisation
from dastan.jobs.services import run_queued_jobs
from dastan.labs import calls, mentoring, selection
from dastan.labs.models import Call, Room
from dastan.labs.screeners import add_application_film, add_rough_cut
from dastan.labs.tests.factories import LabWorld, before_deadline, lab_world
from dastan.media.tests.films import film

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path("/tmp/shots")
PASSWORD = "x" * 12


@pytest.fixture
def storage_root(tmp_path: Path, settings: Any) -> Iterator[Path]:
    root = tmp_path / "storage"
    root.mkdir()
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root), "base_url": "/media/"}}}
    settings.DASTAN_X264_PRESET = "ultrafast"
    storage_module.default_storage._setup()  # type: ignore[attr-defined]
    yield root


@pytest.fixture
def lab(transactional_db: None, storage_root: Path, tmp_path: Path) -> dict[str, Any]:
    """A call with Ayesha's submitted film; she is selected, uploads a rough cut, and her
    mentor pins a note at 0:02."""
    world: LabWorld = lab_world()
    p = world.people
    application = calls.start_application(user=p["applicant"], call=world.call, country="PK",
                                          career_stage="first film", time_zone="Asia/Karachi",
                                          now=before_deadline(world.call, 30))
    calls.save_answers(user=p["applicant"], application=application, answers={
        "logline": "A caravan reaches Samarkand at dawn; a girl decides whether to go on.",
        "statement": "I grew up on the road between Quetta and Herat.", "format": "feature"})
    source = film(tmp_path / "film.mp4", seconds=4, size="320x180")
    add_application_film(user=p["applicant"], application=application, field_key="film", filename="caravan.mp4",
                         content=SimpleUploadedFile("caravan.mp4", source.read_bytes()), size_bytes=source.stat().st_size)
    calls.submit_application(user=p["applicant"], application_id=application.pk, now=before_deadline(world.call))
    selection.score_application(user=p["chair"], application_id=application.pk, points={"story": 8, "voice": 9})
    selection.decide(user=p["chair"], application_id=application.pk, decision="selected",
                     reason="A distinct voice and a clear plan for the shoot.")
    room = Room.objects.get(application=application)
    assert world.mentor is not None
    mentoring.assign_mentor(by=None, room=room, mentor=world.mentor)
    cut = add_rough_cut(user=p["applicant"], room=room, filename="rough-cut-v1.mp4",
                        content=SimpleUploadedFile("rough-cut-v1.mp4", source.read_bytes()))
    run_queued_jobs(worker="test")
    mentoring.add_note(user=p["mentor"], screener_id=cut.pk, timecode_ms=2000,
                       text="Hold this shot two seconds longer: let the caravan arrive.")
    mentoring.add_note(user=p["mentor"], screener_id=cut.pk, timecode_ms=500, text="Open on sound, not picture.")
    for user in p.values():
        user.set_password(PASSWORD)
        user.save()
    return {"world": world, "application": application, "room": room}


def new_page(browser: Any, url: str, *, language: str, zone: str = "Asia/Karachi") -> Any:
    # The policy itself is tested in dastan/web/tests/test_csp_browser.py; here string predicates must run.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id=zone, bypass_csp=True)
    context.add_cookies([{"name": "dastan_language", "value": language, "url": url}])
    return context.new_page()


def sign_in(page: Any, url: str, username: str) -> None:
    page.goto(url + "/studio/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_load_state("networkidle")


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=str(SHOTS / f"labs-{name}.png"), full_page=True)


def test_call_page_shows_the_deadline_in_the_applicants_clock_and_language(
        lab: dict[str, Any], browser: Any, live_server: Any) -> None:
    call = lab["world"].call
    page = new_page(browser, live_server.url, language="zh-hans", zone="Asia/Shanghai")
    page.goto(f"{live_server.url}/labs/calls/{call.pk}/", wait_until="networkidle")
    # The first visit learns the zone from the browser (a cookie) and shows it at once.
    page.wait_for_function("document.querySelector('#deadline-yours').textContent.includes('Asia/Shanghai')")
    yours = page.inner_text("#deadline-yours")
    assert "21:00" in yours and "(Asia/Shanghai)" in yours
    assert "(Asia/Karachi)" in page.inner_text(".labs-deadline")
    assert page.get_attribute("html", "lang") == "zh-Hans"
    shot(page, "call-zh-shanghai")


@pytest.mark.parametrize(("language", "direction"), [("fa", "rtl"), ("kk", "ltr")])
def test_programme_page_in_persian_and_kazakh(lab: dict[str, Any], browser: Any, live_server: Any,
                                             language: str, direction: str) -> None:
    page = new_page(browser, live_server.url, language=language)
    page.goto(f"{live_server.url}/labs/sco-writer-director-lab/", wait_until="networkidle")
    assert page.get_attribute("html", "dir") == direction
    shot(page, f"programme-{language}")


def test_committee_screener_plays_under_the_members_watermark_beside_the_scores(
        lab: dict[str, Any], browser: Any, live_server: Any) -> None:
    page = new_page(browser, live_server.url, language="en")
    sign_in(page, live_server.url, "member")
    page.goto(f"{live_server.url}/labs/applications/{lab['application'].pk}/", wait_until="networkidle")
    page.wait_for_function("window.labsPlayers && window.labsPlayers[0] && "
                           "(window.labsPlayers[0].ready || window.labsPlayers[0].error)", timeout=30000)
    assert page.evaluate("window.labsPlayers[0].error") is None
    page.evaluate("window.labsPlayers[0].video.currentTime = 1.5")
    page.wait_for_function("document.querySelector('video').readyState >= 2")
    mark = page.inner_text(".labs-watermark")
    assert mark.startswith("Madina Sultanova · ") and mark.endswith("UTC")
    assert page.is_visible("#scoring")
    shot(page, "committee-screener")


def test_a_screener_plays_on_past_its_first_links_and_stops_for_a_member_who_declares_a_conflict(
        lab: dict[str, Any], browser: Any, live_server: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the conflict is declared between browser steps
    settings.DASTAN_MEDIA_URL_TTL_S = 6  # the page renews at 3 s
    settings.DASTAN_MEDIA_RECHECK_S = 1
    ready = ("window.labsPlayers && window.labsPlayers[0] && "
             "(window.labsPlayers[0].ready || window.labsPlayers[0].error)")
    url = f"{live_server.url}/labs/applications/{lab['application'].pk}/"
    watching = new_page(browser, live_server.url, language="en")
    sign_in(watching, live_server.url, "member")
    leaving = new_page(browser, live_server.url, language="en")
    sign_in(leaving, live_server.url, "conflicted")
    for page in (watching, leaving):
        page.goto(url, wait_until="networkidle")
        page.wait_for_function(ready, timeout=30000)
    selection.declare_conflict(user=lab["world"].people["conflicted"], application_id=lab["application"].pk)
    watching.wait_for_timeout(7000)  # paused past the lifetime of every link the pages were given
    # The short test film is all buffered by now; drop the buffer so that playing on needs its
    # segments again, as the next minutes of a long film would.
    for page in (watching, leaving):
        page.evaluate("""(() => { const p = window.labsPlayers[0];
            p.hls.trigger(window.Hls.Events.BUFFER_FLUSHING,
                          { startOffset: 0, endOffset: Number.POSITIVE_INFINITY, type: null });
            p.video.currentTime = 0; p.video.play(); })()""")
    watching.wait_for_function("window.labsPlayers[0].video.currentTime > 1.5", timeout=30000)
    assert watching.evaluate("window.labsPlayers[0].error") is None
    assert watching.evaluate("window.labsPlayers[0].links.renewals") >= 1
    leaving.wait_for_function("window.labsPlayers[0].error !== null", timeout=30000)
    assert leaving.evaluate("window.labsPlayers[0].links.refused.status") == 404
    assert leaving.is_visible(".labs-refused")
    shot(leaving, "screener-refused-after-conflict")


def test_mentor_note_jumps_the_player_to_its_timecode(lab: dict[str, Any], browser: Any, live_server: Any) -> None:
    page = new_page(browser, live_server.url, language="en")
    sign_in(page, live_server.url, "mentor")
    page.goto(f"{live_server.url}/labs/rooms/{lab['room'].pk}/", wait_until="networkidle")
    page.wait_for_function("window.labsPlayers && window.labsPlayers[0] && "
                           "(window.labsPlayers[0].ready || window.labsPlayers[0].error)", timeout=30000)
    notes = page.locator("[data-seek-ms]")
    assert notes.count() == 2 and notes.nth(1).inner_text() == "0:00:02.0"
    notes.nth(1).click()
    page.wait_for_function("Math.abs(document.querySelector('video').currentTime - 2.0) < 0.05")
    page.wait_for_function("document.querySelector('video').readyState >= 2")
    assert "labs-current" in (page.get_attribute(".labs-note:nth-child(2)", "class") or "")
    shot(page, "room-mentor-notes")


@pytest.fixture
def host_world(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """An organisation, its administrator, and two people to seat on a committee."""
    # The test reads the database between browser steps, inside Playwright's event loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    org = Organisation.objects.create(name="Lahore Lights", slug="lahore-lights", kind="studio", country="PK")
    admin = User.objects.create_user("hina", password=PASSWORD, first_name="Hina", last_name="Qureshi")
    Membership.objects.create(user=admin, organisation=org, role=Membership.Role.ADMIN)
    for username, first, last in (("zarina", "Zarina", "Nurlanovna"), ("farid", "Farid", "Hosseini")):
        User.objects.create_user(username, password=PASSWORD, first_name=first, last_name=last)
    return {"org": org, "admin": admin}


def test_a_host_builds_a_programme_edition_call_and_committee_through_the_pages(
        host_world: dict[str, Any], browser: Any, live_server: Any) -> None:
    # The content security policy is enforced here: the hosts' pages need no inline code.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="Asia/Karachi")
    context.add_cookies([{"name": "dastan_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    sign_in(page, live_server.url, "hina")
    page.goto(f"{live_server.url}/labs/host/", wait_until="networkidle")
    page.fill("input[name=name]", "Documentary Lab")
    page.fill("input[name=slug]", "documentary-lab")
    page.select_option("select[name=kind]", "workshop")
    page.fill("textarea[name=description]", "Ten days on the river: from research to a rough cut.")
    page.click("text=Create the programme")
    page.wait_for_url(f"{live_server.url}/labs/host/programmes/documentary-lab/")

    page.fill("input[name=name]", "2099, Lahore")
    page.fill("input[name=starts_on]", "2099-04-01")
    page.fill("input[name=ends_on]", "2099-04-10")
    page.fill("input[name=time_zone]", "Asia/Karachi")
    page.fill("input[name=place]", "Lahore")
    for language in ("en", "ur"):
        page.check(f"input[name=languages][value={language}]")
    page.click("text=Add the edition")
    page.wait_for_url(f"{live_server.url}/labs/host/editions/*/")

    page.fill("input[name=deadline]", "2099-03-01T18:00")
    page.fill("input[name=q1-label]", "Logline")
    page.check("input[name=q1-required]")
    page.fill("input[name=q2-label]", "Treatment (PDF)")
    page.select_option("select[name=q2-kind]", "file")
    page.fill("input[name=countries]", "PK, IN, KZ")
    shot(page, "host-open-call-form")
    page.click("text=Open the call")
    page.wait_for_selector("text=The call is open.")
    # The deadline comes back in the hosts' wall clock, ready to be moved.
    assert page.input_value("input[name=deadline]") == "2099-03-01T18:00"

    for person, chair in (("zarina", True), ("farid", False)):
        page.fill("#committee .labs-seat input[name=person]", person)
        if chair:
            page.check("#committee .labs-seat input[name=chair]")
        page.click("text=Seat on the committee")
        page.wait_for_load_state("networkidle")
    # A second seat for the same person is refused beside the committee's form, naming the fix.
    page.fill("#committee .labs-seat input[name=person]", "farid")
    page.click("text=Seat on the committee")
    page.wait_for_selector("#committee .labs-form-error")
    assert "Farid Hosseini already sits on this committee" in page.inner_text("#committee .labs-form-error")
    rows = page.locator("#committee table tr")
    assert rows.nth(0).inner_text().startswith("Zarina Nurlanovna\tChair")
    assert rows.nth(1).inner_text().startswith("Farid Hosseini\tMember")
    shot(page, "host-edition-desk")

    call = Call.objects.get(edition__programme__slug="documentary-lab")
    assert list(call.fields.values_list("label", "kind", "required")) == [
        ("Logline", "text", True), ("Treatment (PDF)", "file", False)]
    assert set(call.committee.values_list("user__username", "role")) == {("zarina", "chair"), ("farid", "member")}

    public = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="Asia/Shanghai").new_page()
    public.goto(f"{live_server.url}/labs/documentary-lab/", wait_until="networkidle")
    assert "Documentary Lab" in public.inner_text("h1") and "Lahore Lights" in public.inner_text(".labs-edition")
    public.click("text=The call")
    public.wait_for_function("document.querySelector('#deadline-yours').textContent.includes('Asia/Shanghai')")
    questions = public.inner_text(".labs-questions")
    assert "Logline *" in questions and "Treatment (PDF)" in questions
    # 18:00 in Lahore is 21:00 in Shanghai.
    assert "6 p.m. (Asia/Karachi)" in public.inner_text(".labs-deadline")
    assert "9 p.m. (Asia/Shanghai)" in public.inner_text("#deadline-yours")
    shot(public, "host-call-public")
