"""The demo's rights: licences for the demo titles, dated around today so the chart always
shows something past, present and coming, imported through the avails path like any
distributor's file; a rights manager to see them; and, for viewers on this machine, an
address-ranges file that counts 127.0.0.1 as Kazakhstan (so the demo player plays)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from dastan.accounts.models import Membership
from dastan.catalog.models import Title
from dastan.rights.actions import record_release
from dastan.rights.avails import import_avails
from dastan.rights.codec import COLUMNS
from dastan.rights.models import Licence, ReleaseDate

DEMO_PASSWORD = "dastan-demo"
DEMO_USER = "timur"
# ref, title, type, territory, exclude, start (days from today or EVENT+N), end, exclusive,
# audio, holdback, format, view cap
LICENCES: list[tuple[str, str, str, str, str, int | str, int | None, str, str, str, str, str]] = [
    ("SS-CA-SVOD-14", "song-of-the-steppe", "SVOD", "Central Asia", "TM", -200, 400, "Yes", "kk; ru", "", "HD", ""),
    ("SS-RU-AVOD-2", "song-of-the-steppe", "AVOD", "RU; BY", "", 45, None, "No", "ru; kk", "", "HD", ""),
    ("SS-IN-FEST-3", "song-of-the-steppe", "festival", "IN", "", -2, 12, "No", "", "", "HD", "300"),
    ("NJ-SCO-SVOD-1", "noori-jatt", "SVOD", "SCO members", "CN; IN", -90, 365, "Yes", "ur; ru; en; kk; uz", "", "HD", ""),
    ("NJ-CN-TVOD-2", "noori-jatt", "TVOD", "CN", "", "theatrical+90", None, "No", "", "en", "UHD", ""),
    ("NW-CIS-SVOD-1", "north-wind", "SVOD", "CIS", "", -400, 200, "No", "", "", "HD", ""),
    ("FH-IR-SVOD-1", "fathers-house", "SVOD", "IR; TJ", "", -30, 300, "Yes", "fa; ru", "", "HD", ""),
    ("AR-SA-AVOD-1", "after-the-rain", "AVOD", "South Asia", "AF", -120, 60, "No", "", "", "SD", ""),
    ("LRS-CN-SVOD-1", "long-river-sunset", "SVOD", "CN", "", 30, 400, "Yes", "", "", "UHD", ""),
    ("AEW-UZ-SVOD-1", "any-excuse-for-a-wedding", "SVOD", "UZ; KZ; KG; TJ", "", -60, 240, "No", "", "", "HD", ""),
    ("GG-TJ-FVOD-1", "grandfathers-garden", "FVOD", "TJ; UZ", "", -500, -20, "No", "", "", "SD", ""),
]


def _day(offset: int | str | None, today: date) -> str:
    if offset is None:
        return "Open"
    if isinstance(offset, str):
        return offset
    return (today + timedelta(days=offset)).isoformat()


def _avails(today: date, titles: set[str], existing: set[str]) -> str:
    lines = [",".join(COLUMNS)]
    for ref, title, kind, where, exclude, start, end, excl, audio, holdback, fmt, cap in LICENCES:
        if title not in titles or ref in existing:
            continue
        cells = {"LicenceRef": ref, "Title": title, "LicenseType": kind, "Territory": where,
                 "TerritoryExclude": exclude, "Start": _day(start, today), "End": _day(end, today),
                 "Exclusive": excl, "AudioLanguages": audio, "HoldbackLanguages": holdback,
                 "FormatProfile": fmt, "ViewCap": cap, "ContractID": f"DEMO-{ref}"}
        lines.append(",".join(f'"{cells.get(c, "")}"' for c in COLUMNS))
    return "\n".join(lines) + "\n"


def _media_title_licence(today: date, existing: set[str], avails: str) -> str:
    """The media demo's film plays in Central Asia, where 127.0.0.1 is (unless the demo's
    avails license it there already)."""
    from dastan.media.demo import demo_title

    title = demo_title()
    ref = "MAULA-CA-SVOD-1"
    licensed = f'"{title.slug}"' in avails or Licence.objects.filter(title=title).exists()
    if title.owner_id is None or ref in existing or licensed:
        return ""
    return f'"{ref}","{title.slug}","","","SVOD","Central Asia; RU","","{_day(-30, today)}","Open","No"\n'


def _rights_manager(titles: list[Title]) -> User:
    user = User.objects.filter(username=DEMO_USER).first()
    if user is None:
        # No staff flag: he signs in at /studio/login/, and the admin is the operators' tool.
        user = User.objects.create_user(username=DEMO_USER, password=DEMO_PASSWORD, first_name="Timur",
                                        last_name="Abenov")
    for org_id in {t.owner_id for t in titles if t.owner_id}:
        Membership.objects.get_or_create(user=user, organisation_id=org_id,
                                         defaults={"role": Membership.Role.DISTRIBUTOR})
    return user


def _loopback_ranges(out: TextIO) -> None:
    path = Path(settings.DASTAN_HOME) / "rights" / "ip-ranges.csv"
    if path.exists() or getattr(settings, "DASTAN_GEOIP_CSV", None):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Demo only: viewers on this machine count as Kazakhstan.\n"
                    "network,country\n127.0.0.0/8,KZ\n::1/128,KZ\n")
    out.write(f"Rights: viewers on this machine count as Kazakhstan ({path}).\n")


def load_demo(out: TextIO) -> None:
    today = date.today()
    titles = list(Title.objects.filter(owner__isnull=False, parent__isnull=True))
    existing = set(Licence.objects.values_list("ref", flat=True))
    text = _avails(today, {t.slug for t in titles}, existing)
    extra = _media_title_licence(today, existing, text)
    with transaction.atomic():
        plan = import_avails(text=text + extra)
        noori = next((t for t in titles if t.slug == "noori-jatt"), None)
        if noori is not None and not ReleaseDate.objects.filter(title=noori, country="CN").exists():
            record_release.execute(title=noori, country="CN", event="theatrical",
                                   day=today + timedelta(days=30))
        _rights_manager(titles)
    _loopback_ranges(out)
    out.write(f"Rights: {plan.summary()}. Charts: sign in at /studio/login/?next=/rights/titles/"
              f"song-of-the-steppe/ as {DEMO_USER} / {DEMO_PASSWORD}.\n")
