"""The QC rules' messages in the person's interface language, for the editor.

The rules themselves live once, in :mod:`dastan.localization.subtitles.qc`; each issue
carries its figures by name (``QcIssue.values``), and this table says each rule's message
in words gettext translates (dastan/localization/locale/*/LC_MESSAGES/django.po). A rule
without a line here is shown as the rule wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class ShownIssue:
    """A QC issue as the editor shows it."""

    rule: str
    severity: str
    cue_index: int
    message: str


def localized(issue: QcIssue) -> ShownIssue:
    """``issue`` with its message in the active interface language."""
    values = dict(issue.values)
    template = MESSAGES.get(f"{issue.rule}:{values['kind']}" if "kind" in values else issue.rule)
    try:
        message = str(template) % values if template is not None else issue.message
    except (KeyError, ValueError):  # a translation that lost a placeholder: the rule's own words
        message = issue.message
    return ShownIssue(rule=issue.rule, severity=issue.severity, cue_index=issue.cue_index, message=message)
