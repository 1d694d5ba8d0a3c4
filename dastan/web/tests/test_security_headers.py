"""Every kind of page carries the Content-Security-Policy, and none holds inline script
or style for it to block: each <script> has a src (or is a JSON data block), no element
has an on*= handler or a style attribute, and there is no <style> element."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from dastan.accounts.models import Membership
from dastan.catalog.demo import load_demo
from dastan.catalog.models import Title
from dastan.catalog.tests.factories import UserFactory, member_of
from dastan.localization.models import SubtitleTrack
from dastan.localization.tracks import CueData, create_track

pytestmark = pytest.mark.django_db

SLUG = "noori-jatt"


class InlineCode(HTMLParser):
    """Collects what a strict CSP would refuse to run or apply."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._script_inline = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for name, _ in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name == "style":
                self.found.append(f"<{tag} style=…>")
        if tag == "style":
            self.found.append("<style>")
        self._script_inline = tag == "script" and not names.get("src") \
            and names.get("type") not in ("application/json", "application/ld+json")

    def handle_data(self, data: str) -> None:
        if self._script_inline and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}…")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script_inline = False

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.fixture
def signed_in() -> Client:
    load_demo(io.StringIO())
    title = Title.objects.get(slug=SLUG)
    source = create_track(title=title, language="ur", origin=SubtitleTrack.Origin.UPLOAD, is_source=True,
                          cues=[CueData(500, 2500, "قافلہ صبح سویرے سمرقند پہنچا۔")])
    create_track(title=title, language="kk", origin=SubtitleTrack.Origin.HUMAN, source_track=source,
                 cues=[CueData(500, 2500, "Керуен таңертең Самарқандқа жетті.")])
    client = Client()
    client.force_login(member_of(title.owner, role=Membership.Role.ADMIN, username="ayesha"))
    return client


def _pages() -> list[str]:
    track = SubtitleTrack.objects.get(language="kk")
    return [
        "/", "/?page=1", "/search/?q=noori", f"/titles/{SLUG}/", "/titles/no-such-title/",
        "/studio/", f"/studio/titles/{SLUG}/", f"/studio/titles/{SLUG}/upload/",
        "/studio/review/", f"/studio/review/{track.pk}/", f"/rights/titles/{SLUG}/",
        f"/media/watch/{SLUG}/", "/api/v1/docs",
    ]


def test_every_page_type_carries_a_strict_csp_and_holds_no_inline_script_or_style(signed_in: Client) -> None:
    anonymous = Client()
    seen: dict[str, list[str]] = {}
    for client, url in [*((signed_in, u) for u in _pages()),
                        (anonymous, "/studio/login/"), (anonymous, "/admin/login/")]:
        response = client.get(url)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, url
        assert "object-src 'none'" in policy and "base-uri 'self'" in policy, url
        seen[url] = inline_code(response.content.decode())
    assert {url: found for url, found in seen.items() if found} == {}


def test_the_lockout_and_admin_pages_carry_the_policy_too(settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 1
    cache.clear()
    user = UserFactory(username="farrukh", is_staff=True)
    client = Client()
    locked = client.post("/admin/login/?next=/admin/", {"username": user.username, "password": "wrong"})
    assert locked.status_code == 429
    assert "script-src 'self'" in locked["Content-Security-Policy"]
    assert inline_code(locked.content.decode()) == []
    admin = Client()
    root: Any = UserFactory(username="root", is_staff=True, is_superuser=True)
    admin.force_login(root)
    index = admin.get("/admin/")
    assert index.status_code == 200 and "Content-Security-Policy" in index
    assert inline_code(index.content.decode()) == []


def test_media_from_object_storage_or_a_cdn_is_allowed_by_origin(monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings read the storage endpoint and DASTAN_MEDIA_ORIGINS into the policy."""
    import importlib

    import dastan.settings as dastan_settings

    monkeypatch.setenv("DASTAN_S3_BUCKET", "films")
    monkeypatch.setenv("DASTAN_S3_ENDPOINT_URL", "https://s3.example.net:9000/")
    monkeypatch.setenv("DASTAN_MEDIA_ORIGINS", "https://cdn.example.org/hls, nonsense")
    try:
        directives = importlib.reload(dastan_settings).CONTENT_SECURITY_POLICY["DIRECTIVES"]
    finally:
        monkeypatch.undo()
        importlib.reload(dastan_settings)
    for directive in ("media-src", "connect-src", "img-src"):
        assert {"https://s3.example.net:9000", "https://cdn.example.org"} <= set(directives[directive])
    assert "nonsense" not in directives["media-src"] and "blob:" in directives["media-src"]
