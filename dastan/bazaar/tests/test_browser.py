"""The bazaar in headless Chromium against the demo market: a project page in Urdu (right
to left) and in Chinese, the NDA then the script viewer with its overlay, and the
meetings calendar. Screenshots go to /tmp/shots/bazaar-*.png; axe-core checks each page
for serious or critical accessibility violations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dastan.bazaar.demo import DEMO_PASSWORD, load_demo
from dastan.bazaar.models import NdaAcceptance, Script, ScriptEvent

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")
AXE = Path(__file__).resolve().parents[2] / "web" / "tests" / "vendor" / "axe.min.js"


@pytest.fixture
def market(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo(out=open("/dev/null", "w"))  # noqa: SIM115 - the demo's report is not under test


def page_as(browser: Any, base_url: str, username: str | None, *, language: str = "en") -> Any:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, bypass_csp=True)
    context.add_cookies([{"name": "dastan_language", "value": language, "url": base_url}])
    page = context.new_page()
    if username:
        page.goto(base_url + "/studio/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("form.login-form button[type=submit]")
        page.wait_for_load_state()
    return page


def shot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"bazaar-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_violations(page: Any) -> list[dict[str, Any]]:
    page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"]][:3]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize(("cookie", "looking_for", "user", "direction"), [
    ("ur", "تلاش ہے", "zara", "rtl"), ("zh-hans", "正在寻找", "wei", "ltr")])
def test_the_project_page_reads_in_urdu_and_chinese(browser: Any, live_server: Any, market: None, cookie: str,
                                                    looking_for: str, user: str, direction: str) -> None:
    page = page_as(browser, live_server.url, user, language=cookie)
    page.goto(live_server.url + "/bazaar/projects/caravan-to-samarkand/")
    assert page.locator("html").get_attribute("dir") == direction
    assert page.get_by_text(looking_for, exact=True).is_visible()
    if user == "zara":  # the owner sees partners ranked with their reasons, in Urdu
        reasons = page.locator(".reasons").first.inner_text()
        assert "Chengdu Pixel Works" in reasons and "چین" in reasons, reasons
    else:  # the machine-translated Chinese logline carries its mark
        assert page.get_by_text("从拉合尔到撒马尔罕").is_visible()
        assert page.locator(".note-machine").count() == 1
    shot(page, f"project-{cookie}")
    assert serious_violations(page) == []


def test_the_script_opens_after_the_nda_in_a_viewer_with_the_readers_overlay(browser: Any, live_server: Any,
                                                                               market: None) -> None:
    script = Script.objects.get()
    page = page_as(browser, live_server.url, "parisa")
    page.goto(f"{live_server.url}/bazaar/scripts/{script.pk}/")
    assert page.locator("#nda-text").inner_text().startswith("I will keep this script confidential")
    assert serious_violations(page) == []
    shot(page, "nda")
    page.check("#affirmed")
    page.click("text=Accept and open the script")
    page.wait_for_selector(".viewer-page img")
    page.wait_for_function("[...document.querySelectorAll('.viewer-page img')].every(i => i.complete && i.naturalWidth > 0)")
    overlay = page.locator(".viewer-overlay span").first.inner_text()
    assert "Parisa Tehrani" in overlay and "Parisa Tehrani" in page.locator(".viewer-band").first.inner_text()
    assert "UTC" in overlay  # the time it was opened
    assert NdaAcceptance.objects.get().user.username == "parisa"
    assert ScriptEvent.objects.filter(kind="viewed").exists()
    shot(page, "viewer")
    assert serious_violations(page) == []


def test_the_meetings_calendar_shows_both_zones(browser: Any, live_server: Any, market: None) -> None:
    page = page_as(browser, live_server.url, "zara")
    page.goto(live_server.url + "/bazaar/meetings/")
    row = page.locator(".calendar-day tbody tr").first.inner_text()
    assert "Chengdu Pixel Works" in row and "Asia/Shanghai" in row
    # 10:00 in Chengdu is 07:00 in Lahore.
    assert "07:00" in row and "10:00" in row, row
    shot(page, "meetings")
    assert serious_violations(page) == []
