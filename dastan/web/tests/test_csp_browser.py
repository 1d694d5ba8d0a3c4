"""The Content-Security-Policy in headless Chromium: the home page, a title page whose
player streams a real HLS package (hls.js, its MediaSource blobs and worker) and the
studio's upload page (tus-js-client) run with no violation reported, and an injected
inline script is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dastan.web.tests import test_player_browser as player

# The player tests' fixtures: a browser, and the demo title streamed from a generated film.
browser, film_title, storage_root = player.browser, player.film_title, player.storage_root

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a-long-studio-password"
# Predicates are arrow functions: Playwright runs a bare expression through eval, which the
# policy refuses. Violations are recorded before any of the page's own script runs (an init
# script is the browser's, not the page's, so the policy does not apply to it).
WATCH_VIOLATIONS = """window.cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));"""


@pytest.fixture(autouse=True)
def _sync_db_beside_playwright(monkeypatch: pytest.MonkeyPatch) -> None:
    # Playwright's sync API keeps an asyncio loop in this thread; the test's own database
    # writes between browser steps are plain synchronous calls, which Django would refuse.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def open_watched(browser: Any, url: str) -> tuple[Any, list[str]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(url, wait_until="networkidle")
    return page, console


def violations(page: Any, console: list[str]) -> list[str]:
    reported = list(page.evaluate("window.cspViolations"))
    return reported + [text for text in console if "Content Security Policy" in text]


def test_home_and_title_player_run_without_a_csp_violation(
        film_title: dict[str, str], browser: Any, live_server: Any) -> None:
    page, console = open_watched(browser, live_server.url + "/")
    assert page.locator(".poster").count() > 0
    # The poster's hues arrive through classes, so the gradient is there with no style attribute.
    assert "gradient" in page.evaluate("getComputedStyle(document.querySelector('.poster')).backgroundImage")
    assert violations(page, console) == []
    page.context.close()

    page, console = open_watched(browser, f"{live_server.url}/titles/{player.SLUG}/")
    page.wait_for_function("() => window.dastanPlayer && (window.dastanPlayer.ready || window.dastanPlayer.error)",
                           timeout=30000)
    assert page.evaluate("window.dastanPlayer.error") is None
    page.click("[data-action=play]")
    page.wait_for_function("() => document.getElementById('player').currentTime > 1", timeout=30000)
    assert page.evaluate("document.getElementById('player').src").startswith("blob:")
    assert violations(page, console) == []

    # What the policy is for: a script that got into the page does not run.
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.injected = true'; document.body.appendChild(s); }""")
    page.wait_for_function("() => window.cspViolations.length > 0", timeout=5000)
    assert page.evaluate("window.injected === undefined")
    assert page.evaluate("window.cspViolations[0]").startswith("script-src")
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_the_studio_upload_page_runs_without_a_csp_violation(browser: Any, live_server: Any) -> None:
    from dastan.accounts.models import Membership
    from dastan.catalog.tests.factories import OrganisationFactory, UserFactory, make_title

    user: Any = UserFactory(username="ayesha")
    user.set_password(PASSWORD)
    user.save()
    studio: Any = OrganisationFactory(name="Lollywood Pictures", slug="lollywood")
    Membership.objects.create(user=user, organisation=studio, role=Membership.Role.EDITOR)
    title = make_title(names={"ur": "ہیر رانجھا"}, slug="heer-ranjha", owner=studio)

    page, console = open_watched(browser, live_server.url + "/studio/login/")
    page.fill("#id_username", "ayesha")
    page.fill("#id_password", PASSWORD)
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(live_server.url + "/studio/")
    page.goto(f"{live_server.url}/studio/titles/{title.slug}/upload/", wait_until="networkidle")
    assert page.locator("input[type=file]").count() == 1
    assert page.evaluate("typeof tus") == "object"  # tus-js-client loaded from 'self'
    assert violations(page, console) == []
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_axe_can_still_be_injected_by_tests(browser: Any, live_server: Any) -> None:
    """The accessibility checks inject axe-core; Playwright's add_script_tag would be an
    inline script, which the policy refuses, so tests evaluate it instead."""
    axe = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
    page, _ = open_watched(browser, live_server.url + "/")
    page.evaluate(axe.read_text())
    assert page.evaluate("typeof axe") == "object"
    page.context.close()
