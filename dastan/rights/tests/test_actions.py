"""Granting, amending and revoking licences: revisions kept, clashes refused, data unchanged."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from dastan.rights.actions import amend_licence, grant_licence, record_release, revoke_licence
from dastan.rights.errors import ExclusiveClash, InvalidLicence
from dastan.rights.models import Availability, Licence, LicenceRevision
from dastan.rights.selectors import catalog_availability, decide_playback_for, terms_of
from dastan.rights.windows import AfterEvent

from .factories import make_title, make_user, owner_of, terms

pytestmark = pytest.mark.django_db


def test_granting_keeps_revision_one_with_who_and_when_and_indexes_each_country() -> None:
    title = make_title()
    user = make_user()
    licence = grant_licence.execute(terms=terms(title_id=title.pk, territories=("Central Asia",)),
                                    licensor=owner_of(title), by=user)
    revision = licence.revisions.get()
    assert (revision.number, revision.changed_by, revision.terms["Territory"]) == (1, user, "Central Asia")
    assert sorted(Availability.objects.filter(licence=licence).values_list("country", flat=True)) == [
        "KG", "KZ", "TJ", "TM", "UZ"]


def test_amending_adds_a_revision_and_never_overwrites_the_earlier_one() -> None:
    title = make_title()
    licence = grant_licence.execute(terms=terms(title_id=title.pk), licensor=owner_of(title))
    amend_licence.execute(licence=licence, terms=replace(terms_of(licence), territories=terms(
        territories=("KZ", "UZ")).territories), note="UZ added")
    revisions = list(LicenceRevision.objects.filter(licence=licence).values_list("number", "terms"))
    assert [(n, t["Territory"]) for n, t in revisions] == [(1, "KZ"), (2, "KZ; UZ")]
    assert Licence.objects.get(pk=licence.pk).revision == 2


def test_overlapping_exclusive_licence_is_refused_naming_the_clash_and_nothing_is_stored() -> None:
    title = make_title()
    grant_licence.execute(terms=terms("KZ-SVOD-14", title_id=title.pk, exclusive=True),
                          licensor=owner_of(title))
    before = list(Licence.objects.values_list("ref", flat=True))
    with pytest.raises(ExclusiveClash, match="clashes with exclusive licence KZ-SVOD-14 in Kazakhstan"):
        grant_licence.execute(terms=terms("KZ-SVOD-15", title_id=title.pk, territories=("KZ", "UZ")),
                              licensor=owner_of(title))
    assert list(Licence.objects.values_list("ref", flat=True)) == before
    assert not Availability.objects.filter(licence__ref="KZ-SVOD-15").exists()


def test_a_second_licence_under_an_existing_reference_is_refused() -> None:
    title = make_title()
    grant_licence.execute(terms=terms(title_id=title.pk), licensor=owner_of(title))
    with pytest.raises(InvalidLicence, match="A licence KZ-SVOD-14 exists already"):
        grant_licence.execute(terms=terms(title_id=title.pk, territories=("RU",)), licensor=owner_of(title))


def test_revoking_stops_playback_at_once_and_keeps_the_history() -> None:
    title = make_title()
    licence = grant_licence.execute(terms=terms(title_id=title.pk), licensor=owner_of(title))
    at = datetime(2027, 5, 1, tzinfo=UTC)
    assert decide_playback_for(title=title, territory="KZ", at=at).allowed
    revoke_licence.execute(licence=licence)
    assert not decide_playback_for(title=title, territory="KZ", at=at).allowed
    assert catalog_availability(territory="KZ", at=at).watchable == ()
    assert licence.revisions.count() == 2


def test_dating_a_release_opens_windows_counted_from_it_in_the_catalog() -> None:
    title = make_title()
    grant_licence.execute(terms=terms(title_id=title.pk, start=AfterEvent("theatrical", 90), end=None),
                          licensor=owner_of(title))
    at = datetime(2027, 5, 1, tzinfo=UTC)
    assert catalog_availability(territory="KZ", at=at).watchable == ()
    record_release.execute(title=title, country="KZ", event="theatrical", day=date(2027, 1, 15))
    assert catalog_availability(territory="KZ", at=at).watchable == (title.pk,)
    assert decide_playback_for(title=title, territory="KZ", at=at).allowed


def test_catalog_lists_watchable_titles_and_those_coming_with_their_opening() -> None:
    now_title, soon_title, elsewhere = make_title(), make_title(), make_title()
    grant_licence.execute(terms=terms("A", title_id=now_title.pk), licensor=owner_of(now_title))
    grant_licence.execute(terms=terms("B", title_id=soon_title.pk, start=date(2027, 6, 1)),
                          licensor=owner_of(soon_title))
    grant_licence.execute(terms=terms("C", title_id=elsewhere.pk, territories=("RU",)),
                          licensor=owner_of(elsewhere))
    view = catalog_availability(territory="KZ", at=datetime(2027, 5, 1, tzinfo=UTC))
    assert view.watchable == (now_title.pk,)
    (coming,) = view.coming
    assert (coming.title_id, coming.opens_at) == (soon_title.pk, datetime(2027, 5, 31, 19, tzinfo=UTC))
    assert coming.label() == "coming on 1 June 2027"


def test_a_licence_holding_back_every_language_it_allows_is_refused_naming_the_column() -> None:
    title = make_title()
    with pytest.raises(InvalidLicence, match=r"Every audio language the licence allows \(ru\) is held back"):
        grant_licence.execute(terms=terms(title_id=title.pk, audio_languages=("ru",),
                                          holdback_languages=("ru",)), licensor=owner_of(title))
    assert not Licence.objects.exists()


def test_a_licence_for_a_series_covers_its_episodes_counting_from_the_series_premiere() -> None:
    series = make_title(kind="series")
    season = make_title(kind="season", parent=series, owner=series.owner)
    episode = make_title(kind="episode", parent=season, owner=series.owner)
    grant_licence.execute(terms=terms(title_id=series.pk, start=AfterEvent("tv", 30), end=None),
                          licensor=owner_of(series))
    record_release.execute(title=series, country="KZ", event="tv", day=date(2027, 3, 1))
    at = datetime(2027, 4, 15, tzinfo=UTC)
    decision = decide_playback_for(title=episode, territory="KZ", at=at)
    assert decision.allowed and decision.reason.startswith("Available in Kazakhstan from 31 March 2027")
    assert not decide_playback_for(title=episode, territory="UZ", at=at).allowed
