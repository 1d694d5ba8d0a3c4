"""Meetings at market events: a profile publishes slots in its own time zone, another
books one; both calendars show it in their own zones and both get an ``.ics``.

Double-booking is impossible where it matters, in the database: a slot has at most one
meeting (a one-to-one column), so of concurrent bookings exactly one insert succeeds and
the others are told the slot is taken, whatever processes or threads they ran in. A
guest's overlapping meeting is refused under a row lock on the guest's profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from icalendar import Calendar, Event, vCalAddress, vText

from dastan.bazaar.access import check_manage, inside_profiles, is_inside, not_found
from dastan.bazaar.errors import InvalidPitch, SlotTaken
from dastan.bazaar.interest import people_of
from dastan.bazaar.models import Meeting, Profile, Project, Slot
from dastan.bazaar.notifications import notify
from dastan.bazaar.profiles import check_length
from dastan.i18n import gettext as _

DEFAULT_DURATION_MIN = 20


@dataclass(frozen=True, slots=True)
class LocalTime:
    """A moment as one side sees it."""

    start: datetime
    end: datetime
    zone: str

    # Formatted here, in the zone: Django's |date filter would turn them back into UTC.
    @property
    def day_time(self) -> str:
        return self.start.strftime("%Y-%m-%d %H:%M")

    @property
    def hours(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def time(self) -> str:
        return self.start.strftime("%H:%M")


def in_zone(*, slot: Slot, zone: str) -> LocalTime:
    tz = ZoneInfo(zone)
    start = slot.starts_at.astimezone(tz)
    return LocalTime(start=start, end=start + timedelta(minutes=slot.duration_min), zone=zone)


def publish_slots(*, user: Any, profile: Profile, starts: list[datetime], duration_min: int = DEFAULT_DURATION_MIN,
                  event: str = "") -> list[Slot]:
    """Slots for ``profile``; naive times are read in the profile's own time zone."""
    check_manage(user=user, profile=profile)
    if not 5 <= duration_min <= 240:
        raise InvalidPitch(_("A meeting lasts between 5 and 240 minutes."), _("The default is 20 minutes."),
                           field="duration_min")
    check_length(event, limit=200, field="event")
    tz = ZoneInfo(profile.timezone)
    if any(not 2000 <= start.year <= 2100 for start in starts):
        raise InvalidPitch(_("A slot's date is out of range."), _("Give dates between 2000 and 2100."),
                           field="starts")
    made = []
    with transaction.atomic():
        for start in starts:
            aware = start if start.tzinfo is not None else start.replace(tzinfo=tz)
            slot, _created = Slot.objects.get_or_create(profile=profile, starts_at=aware,
                                                        defaults={"duration_min": duration_min, "event": event})
            made.append(slot)
    return made


def open_slots(*, profile: Profile, after: datetime | None = None) -> QuerySet[Slot]:
    """The profile's free slots (their times are public; who booked the others is not)."""
    slots = Slot.objects.filter(profile=profile, meeting__isnull=True)
    return slots.filter(starts_at__gte=after) if after is not None else slots


def book_slot(*, user: Any, slot_id: int, guest: Profile, project: Project | None = None,
              notes: str = "") -> Meeting:
    """Book the slot for ``guest``; raises SlotTaken when someone else got it first."""
    check_manage(user=user, profile=guest)
    slot = Slot.objects.select_related("profile").filter(pk=slot_id).first()
    if slot is None:
        raise not_found()
    if slot.profile_id == guest.pk:
        raise InvalidPitch(_("You cannot book your own slot."), _("Book another profile's slot."), field="slot")
    try:
        with transaction.atomic():
            # The guest's row lock orders this guest's bookings (PostgreSQL); the slot's
            # one-to-one column decides between different guests on every database.
            Profile.objects.select_for_update().filter(pk=guest.pk).first()
            end = slot.starts_at + timedelta(minutes=slot.duration_min)
            clash = Meeting.objects.filter(Q(guest=guest) | Q(host=guest), slot__starts_at__lt=end,
                                           slot__starts_at__gt=slot.starts_at - timedelta(minutes=240))
            if any(m.slot.starts_at + timedelta(minutes=m.slot.duration_min) > slot.starts_at
                   for m in clash.select_related("slot")):
                raise SlotTaken(_("You already have a meeting at that time."),
                                _("Choose another slot, or cancel the other meeting first."))
            meeting = Meeting.objects.create(slot=slot, host=slot.profile, guest=guest, booked_by=user,
                                             project=project, notes=notes)
    except IntegrityError:
        raise SlotTaken(_("Someone booked this slot a moment ago."),
                        _("Choose another of %(name)s's free slots.") % {"name": slot.profile.name}) from None
    _tell_both(meeting)
    return meeting


def _tell_both(meeting: Meeting) -> None:
    ics = meeting_ics(meeting=meeting)
    for side, other in ((meeting.host, meeting.guest), (meeting.guest, meeting.host)):
        local = in_zone(slot=meeting.slot, zone=side.timezone)
        notify(users=people_of(side), subject=_("Meeting with %(name)s") % {"name": other.name},
               text=_("Meeting with %(name)s on %(when)s (%(zone)s).")
               % {"name": other.name, "when": local.start.strftime("%Y-%m-%d %H:%M"), "zone": local.zone},
               link="/bazaar/meetings/", attachments=[("meeting.ics", ics, "text/calendar")])


def meeting_ics(*, meeting: Meeting) -> bytes:
    """An iCalendar file with one event, times in UTC (each calendar shows its own zone)."""
    cal = Calendar()
    cal.add("prodid", "-//Dastan//Bazaar//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"dastan-meeting-{meeting.pk}@dastan")
    event.add("dtstamp", meeting.created_at)
    event.add("dtstart", meeting.slot.starts_at)
    event.add("dtend", meeting.slot.starts_at + timedelta(minutes=meeting.slot.duration_min))
    event.add("summary", f"{meeting.host.name} × {meeting.guest.name}")
    if meeting.slot.event:
        event.add("location", vText(meeting.slot.event))
    for profile in (meeting.host, meeting.guest):
        event.add("attendee", vCalAddress(f"urn:dastan:profile:{profile.slug}"), parameters={"CN": profile.name})
    cal.add_component(event)
    return bytes(cal.to_ical())


def access_meeting(*, user: Any, meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_related("slot", "host", "guest").filter(pk=meeting_id).first()
    if meeting is None or not (is_inside(user=user, profile=meeting.host) or is_inside(user=user, profile=meeting.guest)):
        raise not_found()
    return meeting


def meetings_for(*, user: Any) -> QuerySet[Meeting]:
    mine = inside_profiles(user=user)
    return (Meeting.objects.filter(Q(host_id__in=mine) | Q(guest_id__in=mine))
            .select_related("slot", "host", "guest", "project").order_by("slot__starts_at"))
