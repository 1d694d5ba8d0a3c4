"""Scripts shared under NDA with named recipients.

The order is the boundary: the owner shares a script with a person (a grant that ends);
before the first byte the recipient accepts the NDA, and the record keeps the text as
shown, its hash and version, what they did, when, as whom and from where; then they read
pages in the viewer (their own marked copy, rendered) and, where the owner allows it,
download a PDF made for them (:mod:`dastan.bazaar.watermark`). Every view, download,
acceptance, grant, revocation and refusal is in the audit log the owner reads.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from dastan.bazaar import watermark
from dastan.bazaar.access import access_project, check_manage, is_inside, not_found
from dastan.bazaar.errors import AccessEnded, InvalidPitch, NdaRequired, NotYourTurn, TraceFailed
from dastan.bazaar.fountain import render_fountain
from dastan.bazaar.models import NdaAcceptance, Script, ScriptEvent, ScriptGrant
from dastan.bazaar.notifications import notify
from dastan.i18n import gettext as _

DEFAULT_NDA = (
    "I will keep this script confidential: I will not copy, share, publish or adapt it, in whole or in part, "
    "without the written consent of its owner. I understand that my copy is marked as mine and that every view "
    "and download is recorded."
)
ACCEPT_ACTION = "ticked 'I accept these terms' and pressed 'Accept and open the script'"


def nda_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _store() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "bazaar"
    (folder / "scripts").mkdir(parents=True, exist_ok=True)
    (folder / "copies").mkdir(parents=True, exist_ok=True)
    return folder


@transaction.atomic
def add_script(*, user: Any, project_id: int, name: str, content: bytes, filename: str,
               nda_text: str = DEFAULT_NDA, nda_version: str = "1", allow_download: bool = False) -> Script:
    """Store the owner's script (a PDF, or Fountain rendered to PDF)."""
    project = access_project(user=user, project_id=project_id, change=True)
    if not name.strip() or len(name) > 300:
        raise InvalidPitch(_("Name the script (up to 300 characters)."), _("E.g. 'Draft 3'."), field="name")
    if filename.lower().endswith((".fountain", ".txt")):
        content = render_fountain(content.decode("utf-8", errors="replace"))
    if not content.startswith(b"%PDF-"):
        raise InvalidPitch(_("The script is neither a PDF nor a Fountain file."),
                           _("Upload a .pdf, or a .fountain text file."), field="file")
    try:
        pages = len(PdfReader(io.BytesIO(content)).pages)
    except PdfReadError as exc:
        raise InvalidPitch(_("The PDF cannot be read: %(error)s") % {"error": exc},
                           _("Export it again from your writing software."), field="file") from exc
    digest = hashlib.sha256(content).hexdigest()
    relative = f"bazaar/scripts/{digest}.pdf"
    (_store() / "scripts" / f"{digest}.pdf").write_bytes(content)
    return Script.objects.create(project=project, name=name, path=relative, sha256=digest, pages=pages,
                                 nda_text=nda_text, nda_version=nda_version, allow_download=allow_download,
                                 created_by=user)


def access_script_as_owner(*, user: Any, script_id: int, change: bool = False) -> Script:
    script = Script.objects.select_related("project", "project__owner").filter(pk=script_id).first()
    if script is None or not is_inside(user=user, profile=script.project.owner):
        raise not_found()
    if change:
        check_manage(user=user, profile=script.project.owner)
    return script


@transaction.atomic
def share_script(*, user: Any, script_id: int, recipient: Any, until: datetime | None = None) -> ScriptGrant:
    script = access_script_as_owner(user=user, script_id=script_id, change=True)
    ends = until or timezone.now() + timedelta(days=settings.DASTAN_SCRIPT_ACCESS_DAYS)
    if timezone.is_naive(ends):
        ends = timezone.make_aware(ends, UTC)
    if ends <= timezone.now():
        raise InvalidPitch(_("The end of access is in the past."), _("Give a date to come, or none for %(days)s days.")
                           % {"days": settings.DASTAN_SCRIPT_ACCESS_DAYS}, field="until")
    # The organisation they read for; a freelancer reads for nobody but themself.
    membership = recipient.memberships.select_related("organisation").first()
    org_name = membership.organisation.name if membership else ""
    try:
        with transaction.atomic():
            grant = ScriptGrant.objects.create(script=script, recipient=recipient, organisation_name=org_name,
                                               mark_seed=secrets.randbits(62), expires_at=ends, granted_by=user)
    except IntegrityError:
        raise NotYourTurn(_("%(name)s already has this script.") % {"name": recipient.get_username()},
                          _("Change the end of their access instead.")) from None
    ScriptEvent.objects.create(script=script, grant=grant, user=user, kind=ScriptEvent.Kind.GRANTED,
                               detail=f"to {recipient.get_username()} until {ends:%Y-%m-%d}")
    notify(users=[recipient], subject=_("A script was shared with you"),
           text=_("%(owner)s shared the script %(name)s with you.") % {"owner": script.project.owner.name,
                                                                      "name": script.name},
           link=f"/bazaar/scripts/{script.pk}/")
    return grant


@transaction.atomic
def revoke_grant(*, user: Any, grant_id: int) -> ScriptGrant:
    grant = ScriptGrant.objects.select_related("script", "recipient").filter(pk=grant_id).first()
    if grant is None:
        raise not_found()
    access_script_as_owner(user=user, script_id=grant.script_id, change=True)
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        ScriptEvent.objects.create(script=grant.script, grant=grant, user=user, kind=ScriptEvent.Kind.REVOKED,
                                   detail=grant.recipient.get_username())
    return grant


def _grant_of(*, user: Any, script_id: int) -> ScriptGrant:
    """The recipient's grant; 404 for anyone who has none (its existence is not disclosed)."""
    if not getattr(user, "is_authenticated", False):
        raise not_found()
    grant = (ScriptGrant.objects.select_related("script", "script__project", "recipient")
             .filter(script_id=script_id, recipient=user).first())
    if grant is None:
        raise not_found()
    return grant


def _check_current(grant: ScriptGrant, ip: str | None) -> None:
    if grant.revoked_at is not None or grant.expires_at <= timezone.now():
        ScriptEvent.objects.create(script=grant.script, grant=grant, user=grant.recipient,
                                   kind=ScriptEvent.Kind.REFUSED, ip=ip,
                                   detail="revoked" if grant.revoked_at else "expired")
        raise AccessEnded(_("Your access to this script has ended."),
                          _("Ask its owner, %(owner)s, to share it again.")
                          % {"owner": grant.script.project.owner.name})


@dataclass(frozen=True, slots=True)
class Reader:
    """What the viewer needs: the grant, and whether the NDA is accepted yet."""

    grant: ScriptGrant
    accepted: bool


def open_script(*, user: Any, script_id: int, ip: str | None = None) -> Reader:
    grant = _grant_of(user=user, script_id=script_id)
    _check_current(grant, ip)
    accepted = grant.acceptances.filter(nda_version=grant.script.nda_version).exists()
    return Reader(grant=grant, accepted=accepted)


@transaction.atomic
def accept_nda(*, user: Any, script_id: int, text_shown: str, affirmed: bool, ip: str | None,
               user_agent: str = "") -> NdaAcceptance:
    """Record the recipient's acceptance of the NDA text they were shown."""
    reader = open_script(user=user, script_id=script_id, ip=ip)
    script = reader.grant.script
    if not affirmed:
        raise InvalidPitch(_("Tick 'I accept these terms' to open the script."),
                           _("Opening the script needs your acceptance of its NDA."), field="affirmed")
    if nda_sha256(text_shown) != nda_sha256(script.nda_text):
        raise NotYourTurn(_("The NDA changed since the page was shown."),
                          _("Reload the page, read the current text and accept it."))
    record = NdaAcceptance.objects.create(
        grant=reader.grant, user=user, nda_version=script.nda_version, nda_sha256=nda_sha256(script.nda_text),
        text_shown=text_shown, action=ACCEPT_ACTION, ip=ip, user_agent=user_agent[:300])
    ScriptEvent.objects.create(script=script, grant=reader.grant, user=user, kind=ScriptEvent.Kind.NDA_ACCEPTED,
                               ip=ip, detail=f"NDA v{script.nda_version} {record.nda_sha256[:12]}")
    return record


def _reading(*, user: Any, script_id: int, ip: str | None) -> ScriptGrant:
    reader = open_script(user=user, script_id=script_id, ip=ip)
    if not reader.accepted:
        raise NdaRequired(_("Accept the NDA before the script opens."),
                          _("Open /bazaar/scripts/%(id)s/ and accept its terms.") % {"id": script_id})
    return reader.grant


def visible_mark(grant: ScriptGrant) -> str:
    who = grant.recipient.get_full_name() or grant.recipient.get_username()
    org = f", {grant.organisation_name}" if grant.organisation_name else ""
    return f"Confidential · {who}{org} · {grant.created_at:%Y-%m-%d} · copy {grant.pk}"


def _copy(grant: ScriptGrant) -> Path:
    """The recipient's marked copy, made once and kept."""
    path = _store() / "copies" / f"grant-{grant.pk}-{grant.script.sha256[:16]}.pdf"
    if not path.exists():
        source = Path(settings.MEDIA_ROOT) / grant.script.path
        partial = path.with_suffix(".part")
        partial.write_bytes(watermark.mark_pdf(source=source, seed=grant.mark_seed, visible=visible_mark(grant)))
        partial.replace(path)
    return path


def view_page(*, user: Any, script_id: int, page: int, ip: str | None = None) -> bytes:
    """One page of the recipient's marked copy as PNG; logged."""
    grant = _reading(user=user, script_id=script_id, ip=ip)
    if not 1 <= page <= grant.script.pages:
        raise not_found()
    png_path = _copy(grant).with_name(f"grant-{grant.pk}-{grant.script.sha256[:16]}-p{page}.png")
    if not png_path.exists():
        png_path.write_bytes(watermark.render_page(pdf=_copy(grant), page=page, dpi=100))
    ScriptEvent.objects.create(script=grant.script, grant=grant, user=user, kind=ScriptEvent.Kind.VIEWED,
                               page=page, ip=ip)
    return png_path.read_bytes()


def download_copy(*, user: Any, script_id: int, ip: str | None = None) -> tuple[str, bytes]:
    """The recipient's own marked PDF, where the owner allows downloads; logged."""
    grant = _reading(user=user, script_id=script_id, ip=ip)
    if not grant.script.allow_download:
        raise NotYourTurn(_("The owner does not allow downloads of this script."),
                          _("Read it in the viewer, or ask %(owner)s for a copy.")
                          % {"owner": grant.script.project.owner.name}, status=403, code="download_not_allowed")
    data = _copy(grant).read_bytes()
    ScriptEvent.objects.create(script=grant.script, grant=grant, user=user, kind=ScriptEvent.Kind.DOWNLOADED, ip=ip)
    return f"{grant.script.name}-{grant.recipient.get_username()}.pdf", data


def audit_log(*, user: Any, script_id: int) -> list[ScriptEvent]:
    script = access_script_as_owner(user=user, script_id=script_id)
    return list(script.events.select_related("user", "grant"))


def nda_records_csv(*, user: Any, script_id: int) -> str:
    """The NDA acceptance records as CSV, for the owner's files or a lawyer."""
    script = access_script_as_owner(user=user, script_id=script_id, change=True)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["script", "recipient", "organisation", "accepted_at_utc", "ip", "user_agent", "nda_version",
                     "nda_sha256", "action", "text_shown"])
    for record in NdaAcceptance.objects.filter(grant__script=script).select_related("user", "grant"):
        writer.writerow([script.name, record.user.get_username(), record.grant.organisation_name,
                         record.accepted_at.isoformat(), record.ip or "", record.user_agent, record.nda_version,
                         record.nda_sha256, record.action, record.text_shown])
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class Traced:
    grant: ScriptGrant
    correlation: float
    runner_up: float


def trace_leak(*, path: Path) -> Traced:
    """Whose copy ``path`` (a PDF, or an image of one page) is. Run by the node's
    operator on the server (the CLI); it compares with every copy ever made."""
    grants = {g.pk: g for g in ScriptGrant.objects.select_related("recipient", "script")}
    pages = watermark.read_leak(path)
    result = watermark.best_copy(pages, [watermark.Candidate(g.pk, g.mark_seed) for g in grants.values()])
    grant = grants.get(result.key)
    if grant is None:
        raise TraceFailed("The copy was found but its grant is gone.", "Check the database backups.")
    return Traced(grant=grant, correlation=result.correlation, runner_up=result.runner_up)


def recipients_of(*, user: Any, script_id: int) -> list[ScriptGrant]:
    script = access_script_as_owner(user=user, script_id=script_id)
    return list(script.grants.select_related("recipient").order_by("created_at"))


def user_named(username: str) -> Any:
    found = get_user_model().objects.filter(username=username).first()
    if found is None:
        raise InvalidPitch(_("No account '%(name)s' on this node.") % {"name": username},
                           _("Ask them for the user name they sign in with."), field="recipient")
    return found
