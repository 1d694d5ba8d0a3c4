"""The demo's licences load through the avails import, once, and show on the charts."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from dastan.catalog.demo import load_demo as load_catalog
from dastan.catalog.models import Title
from dastan.rights.demo import load_demo
from dastan.rights.models import Licence
from dastan.rights.selectors import decide_playback_for

pytestmark = pytest.mark.django_db


def test_the_demo_licenses_its_titles_once_and_song_of_the_steppe_plays_in_kazakhstan(
        tmp_path: Path) -> None:
    load_catalog(io.StringIO())
    out = io.StringIO()
    with override_settings(DASTAN_HOME=tmp_path):
        load_demo(out)
    ranges = tmp_path / "rights" / "ip-ranges.csv"
    assert "127.0.0.0/8,KZ" in ranges.read_text()
    from ipaddress import ip_address

    from dastan.rights.resolvers.ip_ranges import load_ranges

    assert load_ranges(ranges)[4].lookup(int(ip_address("127.0.0.1"))) == "KZ"  # the file reads back
    count = Licence.objects.count()
    assert count >= 10 and "11 to grant" in out.getvalue()
    with override_settings(DASTAN_HOME=tmp_path):
        load_demo(io.StringIO())
    assert Licence.objects.count() == count  # safe to run again
    steppe = Title.objects.get(slug="song-of-the-steppe")
    assert decide_playback_for(title=steppe, territory="KZ").allowed
    assert decide_playback_for(title=steppe, territory="TM").reason == (
        "Not licensed for Turkmenistan: excluded by SS-CA-SVOD-14.")
    noori = Title.objects.get(slug="noori-jatt")
    later = timezone.now() + timedelta(days=125)
    assert decide_playback_for(title=noori, territory="CN", at=later).licence_ref == "NJ-CN-TVOD-2"
