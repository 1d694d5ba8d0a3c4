"""Glossary terms an organisation keeps: names kept or transliterated as chosen, terms
forced. Translation applies them; QC checks them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from dastan.accounts.permissions import Action, check
from dastan.catalog.languages import normalize_code
from dastan.catalog.models import Organisation, Title
from dastan.errors import InvalidInput, NotFound
from dastan.i18n import gettext
from dastan.localization.models import GlossaryTerm


def add_glossary_term(*, organisation: Organisation, by: Any, source_language: str, target_language: str,
                      source_term: str, target_term: str = "", rule: str = GlossaryTerm.Rule.FORCE,
                      title_slug: str | None = None, note: str = "") -> GlossaryTerm:
    """Add a term for ``organisation`` (or for one of its titles). Raises PermissionDenied
    for someone who does not manage its translations, InvalidInput for a bad term."""
    check(user=by, action=Action.MANAGE_GLOSSARY, organisation=organisation)
    if rule not in GlossaryTerm.Rule.values:
        raise InvalidInput(gettext("'%(rule)s' is not a glossary rule.") % {"rule": rule},
                           # Translators: 'force' and 'keep' are values of the API's rule field; keep them as they are.
                           gettext("Use 'force' or 'keep'."), field="rule")
    if not source_term.strip() or (rule == GlossaryTerm.Rule.FORCE and not target_term.strip()):
        raise InvalidInput(gettext("A forced term needs both the source term and its translation."),
                           # Translators: source_term, target_term and 'keep' are names in the API; keep them as they are.
                           gettext("Fill in source_term and target_term, or use rule 'keep' to keep a name as written."),
                           field="target_term")
    title = None
    if title_slug:
        title = Title.objects.filter(slug=title_slug, owner=organisation).first()
        if title is None:
            raise NotFound(gettext("%(organisation)s has no title '%(title)s'.")
                           % {"organisation": organisation.name, "title": title_slug},
                           gettext("Check the title's slug."))
    return GlossaryTerm.objects.create(
        organisation=None if title else organisation, title=title,
        source_language=normalize_code(source_language), target_language=normalize_code(target_language),
        source_term=source_term.strip(), target_term=(target_term or source_term).strip(), rule=rule, note=note)


_TOKEN = "GLSX{n}Q"  # Latin letters and digits: every engine passes an unknown word through


def protect_terms(*, text: str, glossary: dict[str, str]) -> tuple[str, dict[str, str]]:
    """``text`` with each glossary source term replaced by a placeholder the engine passes
    through as an unknown word, and the placeholder → required target term map.

    Engines translate names as words (Apertium renders the name نوری, "luminous", as
    उज्ज्वल); a placeholder keeps the studio's chosen spelling instead.
    """
    import re

    mapping: dict[str, str] = {}
    for source, target in sorted(glossary.items(), key=lambda kv: -len(kv[0])):
        han = any("\u3400" <= c <= "\u9fff" for c in source)
        edge = "" if han else r"(?<!\w)"
        pattern = re.compile(edge + re.escape(source.strip()) + ("" if han else r"(?!\w)"), re.IGNORECASE)
        if pattern.search(text):
            token = _TOKEN.format(n=len(mapping))
            mapping[token] = target
            text = pattern.sub(f" {token} " if han else token, text)
    return text, mapping


def restore_terms(*, text: str, mapping: dict[str, str]) -> str:
    """The engine's output with each placeholder turned into its target term."""
    import re

    for token, target in mapping.items():
        text = re.sub(r"\s*" + re.escape(token) + r"\s*" if _unspaced(target) else re.escape(token), target, text,
                      flags=re.IGNORECASE)
    return text


def _unspaced(term: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" for c in term)


def glossary_terms(*, organisation: Organisation, user: Any) -> QuerySet[GlossaryTerm]:
    """The organisation's terms and its titles' own, for people who may read its glossary
    (its notes are internal: a term's reasons, a contract's spelling)."""
    check(user=user, action=Action.VIEW_GLOSSARY, organisation=organisation)
    return GlossaryTerm.objects.filter(Q(organisation=organisation) | Q(title__owner=organisation)).select_related(
        "title", "organisation").order_by("source_language", "target_language", "source_term")
