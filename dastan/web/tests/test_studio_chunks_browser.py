"""A long film's chunks on the pipeline page in headless Chromium: who runs each chunk
(this node, or a partner's machine and its organisation), whether a partner's chunk was
verified, and the rows following the jobs as they move. Screenshots go to
test-output/screenshots/; axe-core checks the page; a phone's width and Urdu (RTL) too."""

from __future__ import annotations

from typing import Any

import pytest

from dastan.jobs.models import Job, JobState
from dastan.web.tests.test_studio_browser import (  # noqa: F401  (editor: a fixture)
    editor,
    screenshot,
    serious_violations,
    signed_in_page,
)
from dastan.web.tests.test_studio_pages import chunked_pipeline

pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _quick_polls(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop in this thread
    settings.DASTAN_STUDIO_POLL_MS = 300


def test_the_pipeline_page_shows_each_chunk_its_machine_and_its_verification_live(
    browser: Any,
    live_server: Any,
    editor: Any,  # noqa: F811
) -> None:
    from dastan.catalog.tests.factories import make_title
    from dastan.jobs.models import ComputeRecord

    title = make_title(
        names={"en": "Long Road", "ur": "لمبا راستہ"},
        owner=editor.memberships.get().organisation,
        slug="long-road",
    )
    graph = chunked_pipeline(title)
    page = signed_in_page(browser, live_server.url)
    page.goto(live_server.url + "/studio/titles/long-road/")

    rows = page.locator("#chunk-rows tr.chunk")
    assert rows.count() == 4
    assert (
        page.text_content("#chunk-rows tr:nth-child(2) .chunk-where")
        == "A partner's machine: Shanghai Render Farm"
    )
    assert page.text_content("#chunk-rows tr:nth-child(2) .chunk-verification") == "Verified"
    assert page.text_content("#chunk-rows tr:nth-child(1) .chunk-where") == "This node"
    assert "2 of 4 chunks done" in (page.text_content("#chunks-summary") or "")
    assert page.locator(f"li.job[data-job-id='{graph['chunks'][0].pk}']").count() == 0  # not twice
    screenshot(page, "studio-pipeline-chunks")
    assert serious_violations(page) == []

    # The machine finishes chunk 3 and the node samples it; chunk 4 starts on this node.
    third, fourth = graph["chunks"][2], graph["chunks"][3]
    Job.objects.filter(pk=third.pk).update(state=JobState.SUCCEEDED, progress=100)
    ComputeRecord.objects.create(
        job=third,
        attempt=1,
        worker=graph["machine"],
        worker_name="sh-farm-1",
        kind=third.kind,
        verification="pending",
    )
    Job.objects.filter(pk=fourth.pk).update(
        state=JobState.RUNNING, progress=30, attempts=1, worker="node-1"
    )
    page.wait_for_function(
        "document.querySelector('#chunk-rows tr:nth-child(3) .chunk-verification')"
        ".textContent === 'Being verified'",
        timeout=10_000,
    )
    assert page.eval_on_selector("#chunk-rows tr:nth-child(4) .chunk-bar", "e => e.value") == 30
    assert page.text_content("#chunk-rows tr:nth-child(4) .chunk-worker") == "node-1"
    assert "3 of 4 chunks done, 1 running" in (page.text_content("#chunks-summary") or "")
    screenshot(page, "studio-pipeline-chunks-phone", width=390)
    assert (
        page.evaluate("document.documentElement.scrollWidth") <= 390
    )  # the table scrolls in its box
    assert serious_violations(page) == []

    urdu = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    urdu.add_cookies(
        page.context.cookies()
        + [{"name": "dastan_language", "value": "ur", "url": live_server.url}]
    )
    urdu_page = urdu.new_page()
    urdu_page.goto(live_server.url + "/studio/titles/long-road/")
    assert urdu_page.evaluate("document.documentElement.dir") == "rtl"
    assert urdu_page.text_content("#chunks-heading") == "حصے"
    assert "شراکت دار کی مشین: Shanghai Render Farm" in (
        urdu_page.text_content("#chunk-rows") or ""
    )
    screenshot(urdu_page, "studio-pipeline-chunks-ur")
    assert serious_violations(urdu_page) == []
    urdu.close()
