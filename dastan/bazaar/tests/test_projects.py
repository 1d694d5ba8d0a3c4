"""Profiles, projects and interest: validation names the field, history says what
changed, a decline carries a listed reason the sender sees, and roles decide changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from dastan.accounts.models import Membership
from dastan.accounts.permissions import NotAllowed
from dastan.bazaar.access import access_project
from dastan.bazaar.errors import InvalidPitch, NotYourTurn
from dastan.bazaar.interest import decide_interest, express_interest, interests_for
from dastan.bazaar.models import Notification
from dastan.bazaar.profiles import Text, create_profile, profile_text
from dastan.bazaar.projects import Pitch, project_history, update_project
from dastan.bazaar.tests.factories import Credit, org_profile, person_profile, project
from dastan.catalog.tests.factories import UserFactory, make_title
from dastan.jobs.models import WorkerNode

pytestmark = pytest.mark.django_db


def test_a_freelancer_is_a_profile_of_their_own() -> None:
    user = UserFactory(username="parisa")
    profile = create_profile(name="Parisa Tehrani", kind="writer", country="IR", user=user,
                             strengths=["screenwriting"], languages=["fa"])
    assert profile.is_individual and profile.strengths == ["screenwriting"]


def test_an_unknown_strength_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(InvalidPitch, match="Unknown strength: acting") as err:
        person_profile(name="A B", strengths=["acting"])
    assert "screenwriting" in err.value.hint and err.value.field == "strengths"


def test_profile_text_falls_back_with_the_machine_mark() -> None:
    profile, _user = org_profile(name="Chengdu Pixel Works", country="CN",
                                 texts=[Text("zh-Hans", "视效与动画。"), Text("en", "VFX and animation.", "machine")])
    text = profile_text(profile=profile, language="ur")
    assert text is not None and text.language == "en" and text.is_machine and text.is_fallback


def test_a_change_is_recorded_with_what_it_was_before() -> None:
    owner, user = org_profile(name="Lollywood Pictures")
    film = project(owner=owner, user=user, title="Noori", stage="development", budget_min=1, budget_max=9)
    update_project(user=user, project_id=film.pk, stage="financing", financing_secured_pct=40,
                   pitch=Pitch(logline="A caravan story.", language="en"))
    update_project(user=user, project_id=film.pk, stage="financing")  # nothing changes, nothing recorded
    history = project_history(user=user, project_id=film.pk)
    assert [c.revision for c in history] == [2, 1]
    assert history[0].fields["stage"] == ["development", "financing"]
    assert history[0].fields["financing_secured_pct"] == [0, 40]


def test_bad_financing_is_refused_and_nothing_changes() -> None:
    owner, user = org_profile(name="Lollywood Pictures")
    film = project(owner=owner, user=user, title="Noori")
    with pytest.raises(InvalidPitch, match="between 0 and 100") as err:
        update_project(user=user, project_id=film.pk, financing_secured_pct=140)
    assert err.value.field == "financing_secured_pct"
    film.refresh_from_db()
    assert film.financing_secured_pct == 0 and film.revision == 1


def test_a_viewer_of_the_owner_reads_but_may_not_change() -> None:
    owner, user = org_profile(name="Lollywood Pictures")
    film = project(owner=owner, user=user, title="Noori", visibility="invited")
    viewer: Any = UserFactory(username="viewer")
    Membership.objects.create(user=viewer, organisation_id=owner.organisation_id or 0, role="viewer")
    assert access_project(user=viewer, project_id=film.pk) == film
    with pytest.raises(NotAllowed, match="Your role at"):
        update_project(user=viewer, project_id=film.pk, stage="post")


def test_a_decline_carries_a_listed_reason_the_sender_sees() -> None:
    owner, owner_user = org_profile(name="Lollywood Pictures")
    film = project(owner=owner, user=owner_user, title="Noori", visibility="public")
    sender, sender_user = org_profile(name="Chengdu Pixel Works", country="CN")
    sender_user.email = "chengdu@example.org"
    sender_user.save()
    interest = express_interest(user=sender_user, project_id=film.pk, sender=sender, message="We do VFX.")
    assert Notification.objects.filter(user=owner_user, text__contains="We do VFX.").exists()
    with pytest.raises(InvalidPitch, match="reason from the list"):
        decide_interest(user=owner_user, interest_id=interest.pk, accept=False, reason="vibes")
    decide_interest(user=owner_user, interest_id=interest.pk, accept=False, reason="budget",
                    note="We need a partner under 200k.")
    seen = interests_for(user=sender_user).get()
    assert (seen.state, seen.decline_reason, seen.decline_note) == ("declined", "budget", "We need a partner under 200k.")
    assert "The budget does not fit. We need a partner under 200k." in mail.outbox[-1].body
    with pytest.raises(NotYourTurn, match="already declined"):
        decide_interest(user=owner_user, interest_id=interest.pk, accept=True)


def test_another_organisation_never_sees_a_private_project_or_its_interest() -> None:
    owner, owner_user = org_profile(name="Lollywood Pictures")
    film = project(owner=owner, user=owner_user, title="Secret", visibility="invited")
    _other, other_user = org_profile(name="Rival Films")
    with pytest.raises(Exception, match="no such item"):
        access_project(user=other_user, project_id=film.pk)
    assert not interests_for(user=other_user).exists()


def test_a_profile_page_links_credits_to_the_catalogue_and_shows_the_shared_workers() -> None:
    title = make_title(names={"ur": "مولا جٹ"}, slug="maula-jatt")
    WorkerNode.objects.create(name="chengdu-gpu-1", capabilities=["transcode", "asr"], started_at=timezone.now(),
                              last_seen_at=timezone.now(), jobs_done=42)
    profile, _user = org_profile(name="Chengdu Pixel Works", country="CN", strengths=["gpu_render"],
                                 compute_workers=["chengdu-gpu-1", "not-yet-enrolled"],
                                 credits=[Credit(title_slug=title.slug, year=2022, countries=("PK", "CN"))])
    page = Client().get(f"/bazaar/profiles/{profile.slug}/").content.decode()
    assert f'href="/titles/{title.slug}/"' in page and "مولا جٹ" in page
    assert "transcode, asr · 42 jobs done" in page and "not seen by this node yet" in page
    with pytest.raises(InvalidPitch, match="No catalogue title 'nope'"):
        org_profile(name="Other", credits=[Credit(title_slug="nope")])


def test_an_invitation_lets_one_person_see_an_invited_only_pitch_and_is_in_the_history() -> None:
    owner, user = org_profile(name="Lollywood Pictures")
    film = project(owner=owner, user=user, title="Secret", visibility="invited")
    _other, guest = org_profile(name="Chengdu Pixel Works", username="wei")
    with pytest.raises(Exception, match="no such item"):
        access_project(user=guest, project_id=film.pk)
    update_project(user=user, project_id=film.pk, invited=["wei"])
    assert access_project(user=guest, project_id=film.pk) == film
    assert project_history(user=user, project_id=film.pk)[0].fields["invited"] == [[], ["wei"]]
