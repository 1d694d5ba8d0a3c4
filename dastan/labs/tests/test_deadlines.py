"""The deadline across time zones: hosts in Asia/Karachi (UTC+5), applicants in
Asia/Shanghai (UTC+8) and Europe/Minsk (UTC+3), at the minute before and the minute
after the deadline's instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from dastan.labs import calls
from dastan.labs.errors import CallClosed
from dastan.labs.models import Application
from dastan.labs.tests.factories import lab_world

pytestmark = pytest.mark.django_db


def test_deadline_is_one_instant_shown_in_each_zone() -> None:
    call = lab_world().call
    assert call.deadline == datetime(2099, 3, 1, 13, 0, tzinfo=UTC)  # 18:00 in Karachi
    assert calls.deadline_in(call=call, zone="Asia/Karachi").at.strftime("%H:%M") == "18:00"
    assert calls.deadline_in(call=call, zone="Asia/Shanghai").at.strftime("%d %H:%M") == "01 21:00"
    assert calls.deadline_in(call=call, zone="Europe/Minsk").at.strftime("%d %H:%M") == "01 16:00"


@pytest.mark.parametrize(("zone", "wall_clock"), [("Asia/Shanghai", "March 1, 2099, 9 p.m."),
                                                     ("Europe/Minsk", "March 1, 2099, 4 p.m.")])
def test_minute_before_accepted_minute_after_refused_naming_both_clocks(zone: str, wall_clock: str) -> None:
    world = lab_world()
    who = {"Asia/Shanghai": "late", "Europe/Minsk": "other"}[zone]
    user = world.people[who]
    minute_before = world.call.deadline - timedelta(minutes=1)
    minute_after = world.call.deadline + timedelta(minutes=1)
    draft = calls.start_application(user=user, call=world.call, country="CN", career_stage="first film",
                                    time_zone=zone, now=minute_before - timedelta(hours=1))
    calls.save_answers(user=user, application=draft, answers={"logline": "On time?"})
    with translation.override("en"), pytest.raises(CallClosed) as refused:
        calls.submit_application(user=user, application_id=draft.pk, now=minute_after)
    assert refused.value.message == (f"This call closed at March 1, 2099, 6 p.m. (Asia/Karachi), "
                                     f"which was {wall_clock} ({zone}) for you.")
    assert Application.objects.get(pk=draft.pk).state == Application.State.DRAFT

    submitted = calls.submit_application(user=user, application_id=draft.pk, now=minute_before)
    assert submitted.state == Application.State.SUBMITTED


def test_a_new_draft_after_the_deadline_is_refused_too() -> None:
    world = lab_world()
    with pytest.raises(CallClosed, match="Asia/Shanghai"):
        calls.start_application(user=world.people["late"], call=world.call, country="CN", career_stage="first film",
                                time_zone="Asia/Shanghai", now=world.call.deadline + timedelta(minutes=1))
