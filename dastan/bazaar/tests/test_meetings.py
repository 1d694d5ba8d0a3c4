"""Meeting slots: published in one zone, seen in the other's, booked once — ten
concurrent bookings of one slot, each in its own thread and database connection, and
exactly one wins; both sides get the .ics by mail and a notification in the studio."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from icalendar import Calendar

from dastan.bazaar.errors import SlotTaken
from dastan.bazaar.meetings import book_slot, in_zone, meeting_ics, publish_slots
from dastan.bazaar.models import Meeting, Notification
from dastan.bazaar.tests.factories import org_profile


def test_a_slot_published_in_lahore_reads_in_shanghai_time(db: None) -> None:
    host, host_user = org_profile(name="Lollywood Pictures", country="PK", timezone="Asia/Karachi")
    slot = publish_slots(user=host_user, profile=host, starts=[datetime(2026, 12, 3, 10, 0)])[0]
    assert slot.duration_min == 20
    assert in_zone(slot=slot, zone="Asia/Shanghai").start.strftime("%H:%M") == "13:00"
    assert slot.starts_at.astimezone(ZoneInfo("UTC")).strftime("%H:%M") == "05:00"


def test_booking_sends_both_sides_an_ics_and_a_studio_notification(db: None) -> None:
    host, host_user = org_profile(name="Lollywood Pictures", country="PK", timezone="Asia/Karachi")
    guest, guest_user = org_profile(name="Chengdu Pixel Works", country="CN", timezone="Asia/Shanghai")
    host_user.email, guest_user.email = "host@example.org", "guest@example.org"
    host_user.save(), guest_user.save()
    slot = publish_slots(user=host_user, profile=host, starts=[datetime(2026, 12, 3, 10, 0)], event="Tashkent")[0]
    meeting = book_slot(user=guest_user, slot_id=slot.pk, guest=guest)
    assert sorted(m.to[0] for m in mail.outbox) == ["guest@example.org", "host@example.org"]
    for message in mail.outbox:
        name, content, mimetype = message.attachments[0]
        event = Calendar.from_ical(content).walk("VEVENT")[0]
        assert (name, mimetype) == ("meeting.ics", "text/calendar")
        assert event.decoded("dtstart") == slot.starts_at
        assert (event.decoded("dtend") - event.decoded("dtstart")).total_seconds() == 20 * 60
    assert "13:00 (Asia/Shanghai)" in Notification.objects.get(user=guest_user).text
    assert "10:00 (Asia/Karachi)" in Notification.objects.get(user=host_user).text
    assert b"Chengdu Pixel Works" in meeting_ics(meeting=meeting)


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_bookings_of_one_slot_exactly_one_wins() -> None:
    host, host_user = org_profile(name="Tehran Screenworks", country="IR", timezone="Asia/Tehran")
    slot = publish_slots(user=host_user, profile=host, starts=[datetime(2026, 12, 3, 10, 0)])[0]
    guests = [org_profile(name=f"Guest {n}", country="KZ") for n in range(10)]
    start = threading.Barrier(10)
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(profile: Any, user: Any) -> None:
        try:
            start.wait()
            book_slot(user=user, slot_id=slot.pk, guest=profile)
            result = "won"
        except SlotTaken as exc:
            result = f"taken: {exc.message}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=book, args=guest) for guest in guests]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(outcomes) == 10, outcomes
    assert outcomes.count("won") == 1, outcomes
    assert all(o == "taken: Someone booked this slot a moment ago." for o in outcomes if o != "won")
    assert Meeting.objects.filter(slot=slot).count() == 1


def test_a_guest_cannot_be_in_two_meetings_at_once(db: None) -> None:
    a, a_user = org_profile(name="Alpha", timezone="UTC")
    b, b_user = org_profile(name="Beta", timezone="UTC")
    guest, guest_user = org_profile(name="Guest", timezone="UTC")
    first = publish_slots(user=a_user, profile=a, starts=[datetime(2026, 12, 3, 10, 0)])[0]
    second = publish_slots(user=b_user, profile=b, starts=[datetime(2026, 12, 3, 10, 10)])[0]
    book_slot(user=guest_user, slot_id=first.pk, guest=guest)
    with pytest.raises(SlotTaken, match="already have a meeting at that time"):
        book_slot(user=guest_user, slot_id=second.pk, guest=guest)
