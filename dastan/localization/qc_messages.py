"""The QC rules' messages in the person's interface language, for the editor.

The rules themselves live once, in :mod:`dastan.localization.subtitles.qc`; each issue
carries its figures by name (``QcIssue.values``), and this table says each rule's message
in words gettext translates (dastan/localization/locale/*/LC_MESSAGES/django.po). A rule
without a line here is shown as the rule wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from dastan.localization.subtitles.qc import QcIssue

# rule (or "rule:kind" where a rule says two things) → message; shown under the cue, so
# the cue's number is not repeated.
MESSAGES = {
    "empty_cue": _("The cue has no text."),
    "line_too_long": _("Line %(n)s has %(chars)s characters; at most %(limit)s."),
    "too_many_lines": _("%(n)s lines; at most %(limit)s."),
    "reading_speed": _("Reads at %(cps)s characters a second; at most %(limit)s."),
    "too_short": _("Shown for %(ms)s ms; at least %(limit)s."),
    "too_long": _("Shown for %(ms)s ms; at most %(limit)s."),
    "gap_too_small": _("Only %(ms)s ms before the next cue; at least %(limit)s."),
    "overlap": _("Ends %(ms)s ms after cue %(next)s starts."),
    "shot_change:start": _("Starts %(ms)s ms before a shot change at %(at)s; start it on the cut."),
    "shot_change:end": _("Ends %(ms)s ms from a shot change at %(at)s; end it at %(snap)s."),
    "line_break": _("The line break between “%(before)s” and “%(after)s” splits words that belong together."),
    "wrong_script": _("It is not written in this language's script."),
    "untranslated:same": _("It looks untranslated: it is the same as the source."),
    "untranslated:script": _("It looks untranslated: most of it is still in the source's script."),
    "glossary_term_missing": _("The glossary renders “%(term)s” as “%(wanted)s”, which is not in the translation."),
    "numbers_changed": _("The numbers differ from the source: %(found)s here, %(source)s there."),
    "ending_punctuation": _("The source ends with “%(mark)s”; end the translation the same way."),
    "unbalanced_brackets": _("“%(mark)s” is not paired."),
    "unbalanced_tags": _("The tag <%(tag)s> is not closed in order."),
}


# rule (or "rule:kind") → what to do about it.
HINTS = {
    "empty_cue": _("Type its text or delete the cue."),
    "line_too_long": _("Shorten the line or move words to the other line."),
    "too_many_lines": _("Split it into two cues or shorten it."),
    "reading_speed": _("Shorten the text or give the cue more time."),
    "too_short": _("Lengthen it or merge it with a neighbour."),
    "too_long": _("Split it at a pause."),
    "overlap": _("End it at least %(gap)s ms before cue %(next)s."),
    "gap_too_small": _("End it at %(end)s ms."),
    "shot_change:start": _("Start it on the cut."),
    "shot_change:end": _("End it %(frames)s frames before the cut (%(snap)s)."),
    "line_break": _("Break the line at a comma or before a conjunction."),
    "wrong_script": _("Rewrite or transliterate it in the expected script."),
    "untranslated:same": _("Translate it, or confirm that it stays as it is."),
    "untranslated:script": _("Translate it, or confirm that it stays as it is."),
    "glossary_term_missing": _("Use “%(wanted)s”."),
    "numbers_changed": _("Check that every number was carried over."),
    "ending_punctuation": _("End it the same way, in the target's own punctuation."),
    "unbalanced_brackets": _("Add or remove the mark."),
    "unbalanced_tags": _("Close every <i>, <b> or <u> in the cue that opens it."),
}


@dataclass(frozen=True, slots=True)
class ShownIssue:
    """A QC issue as the editor and the review desk show it (under its cue)."""

    rule: str
    severity: str
    cue_index: int
    message: str
    hint: str = ""


def localized(issue: QcIssue) -> ShownIssue:
    """``issue`` with its message and hint in the active interface language."""
    values = dict(issue.values)
    key = f"{issue.rule}:{values['kind']}" if "kind" in values else issue.rule
    return ShownIssue(rule=issue.rule, severity=issue.severity, cue_index=issue.cue_index,
                      message=_said(MESSAGES.get(key), values, issue.message),
                      hint=_said(HINTS.get(key), values, issue.hint))


def _said(template: Any, values: dict[str, str], fallback: str) -> str:
    if template is None:
        return fallback
    try:
        return str(template) % values
    except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder: the rule's own words
        return fallback
