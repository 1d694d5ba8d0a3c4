"""The studio's desk in headless Chromium, against the real tus server and real jobs.

A film made with ffmpeg is uploaded through the page with tus-js-client while one PATCH
is cut off mid-way; the page resumes, the stored sha256 is the source's, and the
pipeline page follows the ingest, transcode and package jobs (run in a thread of this
test) until the film is published. A file that is not a video fails its ingest and the
page shows why and what to do. Screenshots go to test-output/screenshots/; axe-core
checks each page for serious or critical accessibility violations.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from dastan.catalog.tests.factories import OrganisationFactory, make_title
from dastan.jobs.models import Job, JobState
from dastan.jobs.services import run_job, run_queued_jobs
from dastan.media.models import Upload
from dastan.media.tests.films import film

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-output" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
PASSWORD = "a-long-studio-password"
MiB = 1024 * 1024


@pytest.fixture(autouse=True)
def _quick_media(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Playwright's sync API keeps an asyncio loop in this thread; the test's own database
    # reads between browser steps are plain synchronous calls, which Django would refuse.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.DASTAN_X264_PRESET = "ultrafast"
    settings.DASTAN_STUDIO_CHUNK_BYTES = MiB // 2  # several chunks, so one can be cut off
    settings.DASTAN_STUDIO_POLL_MS = 300


@pytest.fixture
def editor() -> Any:
    from dastan.accounts.models import Membership
    from dastan.catalog.tests.factories import UserFactory

    user: Any = UserFactory(username="ayesha")
    user.set_password(PASSWORD)
    user.save()
    studio: Any = OrganisationFactory(name="Lollywood Pictures", slug="lollywood")
    Membership.objects.create(user=user, organisation=studio, role=Membership.Role.EDITOR)
    return user


def signed_in_page(browser: Any, base_url: str, *, language: str = "en", width: int = 1280) -> Any:
    # The policy itself is tested in test_csp_browser.py; here string predicates must run (eval).
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    context.add_cookies([{"name": "dastan_language", "value": language, "url": base_url}])
    page = context.new_page()
    page.goto(base_url + "/studio/")
    assert "/studio/login/" in page.url  # a stranger is sent to sign in first
    page.fill("#id_username", "ayesha")
    page.fill("#id_password", PASSWORD)
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(base_url + "/studio/")
    return page


def screenshot(page: Any, name: str, *, width: int | None = None) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if width is not None:
        page.set_viewport_size({"width": width, "height": 900})
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_violations(page: Any) -> list[dict[str, Any]]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text())  # not add_script_tag: the CSP refuses an inline <script>
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"]][:3]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def in_thread(work: Callable[[], object]) -> threading.Thread:
    """Run jobs beside the browser, as a worker would; its own database connection."""
    def target() -> None:
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_film_uploaded_through_a_dropped_connection_is_ingested_and_published_with_live_progress(
        browser: Any, live_server: Any, editor: Any, tmp_path: Path) -> None:
    source = film(tmp_path / "zindagi.mp4", seconds=4, size="640x360",
                  extra=["-b:v", "12M", "-minrate", "12M", "-maxrate", "12M", "-bufsize", "4M"])
    assert source.stat().st_size > 2 * MiB
    page = signed_in_page(browser, live_server.url)
    assert serious_violations(page) == []

    # The new-title form, then its upload page.
    page.select_option("#owner", "lollywood")
    page.fill("#slug", "zindagi")
    page.select_option("#original_language", "ur")
    page.fill("#country", "PK")
    page.fill("#name", "زندگی")
    page.click("#new-title button[type=submit]")
    page.wait_for_url(live_server.url + "/studio/titles/zindagi/upload/")

    patches: list[dict[str, str]] = []
    requests: list[str] = []
    page.on("request", lambda r: requests.append(f"{r.method} {r.url}") if "/media/tus/" in r.url else None)

    def cut_second_patch(route: Any) -> None:
        if route.request.method != "PATCH":
            route.continue_()
            return
        patches.append(route.request.headers)
        try:
            if len(patches) == 2:
                route.abort("internetdisconnected")  # the connection drops mid-upload
                return
            time.sleep(0.3)  # a slow line, so the page can be paused and photographed
            route.continue_()
        except playwright_api.Error:
            return  # the page aborted this request itself (Pause)

    page.route(re.compile(r"/media/tus/"), cut_second_patch)
    page.set_input_files("#film-file", str(source))
    page.click("#upload-start")

    page.wait_for_function("document.getElementById('upload-bar').value >= 40", timeout=30_000)
    page.click("#upload-pause")
    page.wait_for_function("document.getElementById('upload-status').textContent.includes('Paused')")
    paused_at = page.eval_on_selector("#upload-bar", "e => e.value")
    sent_text = page.text_content("#upload-bytes")
    assert re.search(r"\d+\.\d of \d+\.\d MB \(\d+ %\)", sent_text or ""), sent_text
    screenshot(page, "studio-upload-paused")
    screenshot(page, "studio-upload-paused-phone", width=390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})
    patches_when_paused = len(patches)
    time.sleep(1.0)
    assert len(patches) <= patches_when_paused + 1  # at most the one already on its way
    assert page.eval_on_selector("#upload-bar", "e => e.value") == paused_at

    page.click("#upload-resume")
    page.wait_for_url(live_server.url + "/studio/titles/zindagi/", timeout=60_000)

    upload = Upload.objects.get()
    assert upload.state == Upload.State.COMPLETE
    assert upload.sha256 == sha256(source)
    assert all(h.get("upload-checksum", "").startswith("sha256 ") for h in patches), patches
    aborted_at = next(i for i, r in enumerate(requests) if r.startswith("PATCH")) + 1
    assert any(r.startswith("HEAD") for r in requests[aborted_at:]), requests  # asked where to resume
    jobs = {j.kind: j.state for j in Job.objects.all()}
    assert jobs == {"media.ingest": JobState.QUEUED, "media.transcode": JobState.WAITING,
                    "media.package": JobState.WAITING}

    # The pipeline page follows the jobs as a worker runs them one by one; the worker
    # waits after each (a slow worker, seen through the page's polling).
    release, release_package = threading.Event(), threading.Event()

    def work() -> None:
        run_job(job_id=Job.objects.get(kind="media.ingest").pk)
        release.wait(60)
        run_job(job_id=Job.objects.get(kind="media.transcode").pk)
        release_package.wait(60)
        run_queued_jobs()

    worker = in_thread(work)
    page.wait_for_selector("li.job-succeeded", timeout=30_000)
    seen = [page.eval_on_selector("#film-bar", "e => e.value")]
    assert 0 < seen[0] < 100
    screenshot(page, "studio-pipeline-running")
    screenshot(page, "studio-pipeline-running-phone", width=390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
    urdu = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    urdu.add_cookies(page.context.cookies() + [{"name": "dastan_language", "value": "ur", "url": live_server.url}])
    urdu_page = urdu.new_page()
    urdu_page.goto(live_server.url + "/studio/titles/zindagi/")
    assert urdu_page.evaluate("document.documentElement.dir") == "rtl"
    screenshot(urdu_page, "studio-pipeline-running-ur")
    urdu_page.goto(live_server.url + "/studio/titles/zindagi/upload/")
    screenshot(urdu_page, "studio-upload-ur")
    assert serious_violations(urdu_page) == []
    urdu.close()
    page.set_viewport_size({"width": 1280, "height": 900})

    release.set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        seen.append(page.eval_on_selector("#film-bar", "e => e.value"))
        if seen[-1] >= 66:
            release_package.set()
        if "ready" in (page.text_content("#film-state") or ""):
            break
        time.sleep(0.1)
    worker.join(timeout=30)
    seen.append(page.eval_on_selector("#film-bar", "e => e.value"))  # drawn with the last state
    assert "Version 1 is ready" in (page.text_content("#film-state") or "")
    assert seen == sorted(seen) and seen[-1] == 100 and len(set(seen)) >= 3, seen  # it moved
    assert page.locator("li.job-succeeded").count() == 3

    page.click("#publish-form button")
    assert page.text_content("#film-state") == "Published: version 1"
    assert page.request.get(live_server.url + "/media/watch/zindagi/master.m3u8").status == 200
    page.goto(live_server.url + "/studio/")
    assert "Published: version 1" in (page.text_content("tr[data-slug=zindagi] .film-state") or "")
    screenshot(page, "studio-home")
    screenshot(page, "studio-home-phone", width=390)
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/studio/titles/zindagi/")
    page.click("#unpublish-form button")
    assert "Unpublished: version 1 is kept" in (page.text_content("#film-state") or "")
    assert page.request.get(live_server.url + "/media/watch/zindagi/master.m3u8").status == 404
    page.click("#publish-form button")
    assert page.text_content("#film-state") == "Published: version 1"


def test_a_file_that_is_not_a_video_fails_its_ingest_and_the_page_says_what_to_do(
        browser: Any, live_server: Any, editor: Any, tmp_path: Path) -> None:
    make_title(names={"en": "Notes"}, owner=editor.memberships.get().organisation, slug="notes", published=False)
    text = tmp_path / "notes.mp4"
    text.write_text("These are the director's notes, not a film.\n" * 2000)
    page = signed_in_page(browser, live_server.url)
    page.goto(live_server.url + "/studio/titles/notes/upload/")
    page.set_input_files("#film-file", str(text))
    page.click("#upload-start")
    page.wait_for_url(live_server.url + "/studio/titles/notes/", timeout=30_000)

    worker = in_thread(run_queued_jobs)
    page.wait_for_selector("li.job-failed .error-message", timeout=60_000)
    worker.join(timeout=30)

    failed = Job.objects.get(kind="media.ingest")
    assert failed.state == JobState.FAILED and failed.error_message and failed.error_hint
    item = page.locator("li.job-failed")
    assert failed.error_message in (item.locator(".error-message").text_content() or "")
    assert failed.error_hint in (item.locator(".job-hint").text_content() or "")
    assert item.locator(".retry-form button").is_visible()
    page.wait_for_function("document.getElementById('film-state').textContent.startsWith('Failed:')")
    assert failed.error_hint in (page.text_content("#film-hint") or "")
    # The steps that waited say why they did not run.
    assert page.locator("li.job-cancelled .error-message").first.text_content().startswith("Not run: job #")
    screenshot(page, "studio-pipeline-failed")
    screenshot(page, "studio-pipeline-failed-phone", width=390)
    assert serious_violations(page) == []


def test_upload_carries_on_after_going_offline_and_resumes_the_same_upload_after_a_reload(
        browser: Any, live_server: Any, editor: Any, tmp_path: Path) -> None:
    make_title(names={"en": "Reload"}, owner=editor.memberships.get().organisation, slug="reload", published=False)
    source = film(tmp_path / "reload.mp4", seconds=3, size="640x360",
                  extra=["-b:v", "12M", "-minrate", "12M", "-maxrate", "12M", "-bufsize", "4M"])
    page = signed_in_page(browser, live_server.url)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.method) if "/media/tus/" in r.url else None)

    def slow_line(route: Any) -> None:
        try:
            if route.request.method == "PATCH":
                page.wait_for_timeout(300)
            route.continue_()
        except playwright_api.Error:
            return  # offline, or aborted by the page: tus-js-client retries

    page.route(re.compile(r"/media/tus/"), slow_line)
    page.goto(live_server.url + "/studio/titles/reload/upload/")
    page.set_input_files("#film-file", str(source))
    page.click("#upload-start")
    page.wait_for_function("document.getElementById('upload-bar').value >= 15", timeout=30_000)

    page.context.set_offline(True)
    assert Upload.objects.get().offset_bytes < source.stat().st_size  # cut off mid-way
    page.wait_for_timeout(1500)
    page.context.set_offline(False)
    page.wait_for_function("document.getElementById('upload-bar').value >= 40", timeout=30_000)
    page.click("#upload-pause")
    offset = Upload.objects.get().offset_bytes
    assert offset > 0

    page.reload()  # the person closes the tab and comes back later
    page.set_input_files("#film-file", str(source))
    page.click("#upload-start")
    page.wait_for_url(live_server.url + "/studio/titles/reload/", timeout=60_000)

    assert requests.count("POST") == 1  # the same upload went on: nothing was sent twice from the start
    upload = Upload.objects.get()
    assert upload.state == Upload.State.COMPLETE and upload.sha256 == sha256(source)
