"""A peer's title documents arriving here: checked against the schema, then each one
replaces the full state this node kept of its title — unless it is older than what is
here (its sequence number), which changes nothing.

Every licence fact gets an answer: ACCEPTED (stored, and decided with), REJECTED (its
terms do not read: the reason names the column), or CONFLICT (it clashes with a licence
recorded on this node, e.g. a local distributor's exclusive one). Only accepted facts
are kept; a document is applied in one transaction, so a crash leaves the old state.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext, pgettext
from pydantic import ValidationError

from dastan.catalog.models import Credit, Organisation, Person, Title, TitleText
from dastan.catalog.search.index import index_title
from dastan.catalog.services import changed, ensure_genre
from dastan.errors import DastanError
from dastan.federation.errors import InvalidDocument
from dastan.federation.facts import terms_of_fact
from dastan.federation.mirrors import plan_mirror
from dastan.federation.models import Peer, RemoteLicence, RemoteTitle
from dastan.federation.schemas import DocumentResult, LicenceDoc, LicenceVerdict, TitleDoc
from dastan.rights.clash import find_clash
from dastan.rights.selectors import licences_for_titles
from dastan.rights.terms import LicenceTerms


def parse_documents(raw: Any, schema: type[Any]) -> Any:
    """The body as ``schema``, or InvalidDocument naming the first field at fault."""
    try:
        return schema.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "body"
        # Translators: %(field)s names a field of the message; %(problem)s is the validator's words, in English.
        raise InvalidDocument(gettext("The message does not fit the exchange schema: '%(field)s': %(problem)s.")
                              % {"field": where, "problem": first.get("msg")},
                              gettext("Send full-state title documents as dastan/federation/schemas.py describes; "
                                      "nothing of this message was stored."), field=where) from exc


def local_slug(peer: Peer, slug: str) -> str:
    return f"{slug[:120 - len(peer.handle) - 2]}--{peer.handle}"


def apply_documents(*, peer: Peer, documents: Sequence[TitleDoc]) -> list[DocumentResult]:
    """Apply each document (all from ``peer``); the answers in the same order."""
    return [apply_document(peer=peer, document=doc) for doc in documents]


def apply_document(*, peer: Peer, document: TitleDoc) -> DocumentResult:
    with transaction.atomic():
        remote = (RemoteTitle.objects.select_for_update().select_related("title")
                  .filter(peer=peer, remote_slug=document.slug).first())
        if remote is not None and remote.sequence >= document.sequence:
            return DocumentResult(slug=document.slug, sequence=document.sequence, status="older", licences=[])
        title = _mirror_title(peer=peer, document=document, title=remote.title if remote else None)
        if remote is None:
            remote = RemoteTitle(peer=peer, remote_slug=document.slug, title=title)
        remote.sequence, remote.document = document.sequence, document.model_dump(mode="json")
        remote.save()
        verdicts = _replace_licences(remote=remote, facts=document.licences, slug=document.slug)
        plan_mirror(remote=remote)  # a cache copy here: kept, made, or withdrawn (mirrors.py)
        index_title(title=title)
        changed()
    return DocumentResult(slug=document.slug, sequence=document.sequence, status="applied", licences=verdicts)


def _owner(peer: Peer, document: TitleDoc) -> Organisation:
    slug = f"{peer.handle}-{document.owner.slug}"[:80]
    owner, _ = Organisation.objects.update_or_create(slug=slug, defaults={
        "name": document.owner.name, "kind": Organisation.Kind.DISTRIBUTOR,
        "country": document.owner.country or peer.country or document.country_of_origin})
    return owner


def _mirror_title(*, peer: Peer, document: TitleDoc, title: Title | None) -> Title:
    fields = {"kind": document.kind, "original_language": document.original_language,
              "country_of_origin": document.country_of_origin.upper(), "year": document.year,
              "runtime_min": document.runtime_min, "owner": _owner(peer, document),
              "is_published": document.published}
    if title is None:
        title = Title.objects.create(slug=local_slug(peer, document.slug), **fields)
    else:
        for name, value in fields.items():
            setattr(title, name, value)
        title.save()
    TitleText.objects.filter(title=title).delete()
    TitleText.objects.bulk_create([TitleText(title=title, language=t.language, name=t.name, synopsis=t.synopsis,
                                             origin=t.origin, provenance=t.provenance)
                                   for t in {t.language: t for t in document.texts}.values()])
    title.genres.set([ensure_genre(slug=g.slug, names=g.names) for g in document.genres])
    Credit.objects.filter(title=title).delete()
    for order, c in enumerate(document.credits):
        # Names are not unique among people: take the first of that name rather than fail on two.
        person = Person.objects.filter(name=c.name).first() or Person.objects.create(
            name=c.name, latin_name=c.latin_name)
        Credit.objects.create(title=title, person=person, role=c.role, character=c.character, order=order)
    return title


def _replace_licences(*, remote: RemoteTitle, facts: Sequence[LicenceDoc], slug: str) -> list[LicenceVerdict]:
    local = licences_for_titles(title_ids=[remote.title_id])
    accepted: list[LicenceTerms] = []
    verdicts: list[LicenceVerdict] = []
    for fact in facts:
        ref = fact.row.get("LicenceRef", "")
        try:
            terms = terms_of_fact(fact.row, title_id=remote.title_id, slug=slug)
        except DastanError as exc:
            verdicts.append(LicenceVerdict(ref=ref, verdict="REJECTED", reason=f"{exc.message} {exc.hint}".strip()))
            continue
        clash = find_clash(terms, local)
        if clash is not None:
            # In the language the pushing node asked for (Accept-Language): its operator reads it.
            # Translators: %(clash)s is a sentence saying which licences clash.
            verdicts.append(LicenceVerdict(ref=ref, verdict="CONFLICT", reason=gettext(
                "%(clash)s The licence recorded on this node stands; ask its holder.") % {"clash": clash.sentence()}))
            continue
        accepted.append(terms)
        RemoteLicence.objects.update_or_create(remote_title=remote, ref=ref,
                                               defaults={"licensor": fact.licensor, "row": fact.row})
        # Translators: the answer to a peer whose licence was stored here.
        verdicts.append(LicenceVerdict(ref=ref, verdict="ACCEPTED", reason=pgettext("peer nodes", "recorded")))
    RemoteLicence.objects.filter(remote_title=remote).exclude(ref__in=[t.ref for t in accepted]).delete()
    return verdicts
