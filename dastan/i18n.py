"""Texts that remember how they were made, so they can be said again in another language.

A job fails in a worker, where nobody's language is active; a notification is written
while its sender, not its recipient, is signed in. Both keep a text that is read later,
by someone else. So the texts that are stored come from these ``gettext``, ``ngettext``
and ``pgettext``: each returns a :class:`Message` — an ordinary ``str`` in the active
language — that also keeps its message id (and context or plural) and, once ``%`` has
filled it, its named parameters::

    from dastan.i18n import gettext

    raise SourceMissing(gettext("The uploaded file '%(name)s' is gone.") % {"name": name}, ...)

:func:`describe` turns such a text into a JSON-able dict to store beside the text;
:func:`render` says the stored dict again in the active language (falling back to the
stored text for rows written before ids were kept, or a text without one). makemessages
finds these calls as it finds Django's: the functions keep Django's names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from django.conf import settings
from django.utils import translation

# A parameter that is itself a translatable text is stored under this key.
_NESTED = "__message__"


class Message(str):
    """A translated text with the message id, context, plural and named parameters that
    made it. Behaves as the ``str`` it is; ``%`` with a mapping keeps the parameters.
    Pickles (Celery carries errors that hold it)."""

    msgid: str
    context: str
    plural: str
    number: int | None  # ngettext's n (not ``count``: str has a method of that name)
    params: dict[str, Any] | None

    def __new__(cls, text: str, *, msgid: str, context: str = "", plural: str = "",
                number: int | None = None, params: dict[str, Any] | None = None) -> Self:
        made = super().__new__(cls, text)
        made.msgid, made.context, made.plural, made.number, made.params = msgid, context, plural, number, params
        return made

    def __mod__(self, values: Any) -> str:
        filled = str.__mod__(self, values)
        if not isinstance(values, Mapping) or self.params is not None:
            return filled  # positional values cannot be said again by name: a plain text
        return Message(filled, msgid=self.msgid, context=self.context, plural=self.plural, number=self.number,
                       params={str(k): _storable(v) for k, v in values.items()})

    def strip(self, chars: str | None = None) -> str:
        """Stripped, still knowing its id (:func:`render` strips what it says again too)."""
        return Message(str.strip(self, chars), msgid=self.msgid, context=self.context, plural=self.plural,
                       number=self.number, params=self.params)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (str(self), self.msgid, self.context, self.plural, self.number, self.params))


def _rebuild(text: str, msgid: str, context: str, plural: str, number: int | None,
             params: dict[str, Any] | None) -> Message:
    return Message(text, msgid=msgid, context=context, plural=plural, number=number, params=params)


def _storable(value: Any) -> Any:
    if isinstance(value, Message):
        return {_NESTED: describe(value)}
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)


def gettext(message: str) -> Message:
    return Message(translation.gettext(message), msgid=message)


def ngettext(singular: str, plural: str, number: int) -> Message:
    return Message(translation.ngettext(singular, plural, number), msgid=singular, plural=plural, number=number)


def pgettext(context: str, message: str) -> Message:
    return Message(translation.pgettext(context, message), msgid=message, context=context)


def npgettext(context: str, singular: str, plural: str, number: int) -> Message:
    return Message(translation.npgettext(context, singular, plural, number), msgid=singular, context=context,
                   plural=plural, number=number)


def from_lazy(text: Any) -> str:
    """A ``gettext_lazy`` text of a table (choices, reasons) as a :class:`Message`: its
    message id is what it says in English."""
    with translation.override("en"):
        msgid = str(text)
    return gettext(msgid)


def refill(text: str, **values: Any) -> str:
    """``text`` with some of its named values changed (the name a sender knows a file by,
    for the temporary one a worker read), still knowing its id; a text without named
    values as it is."""
    if not isinstance(text, Message) or text.params is None:
        return text
    described = {**describe(text), "params": {**text.params, **{k: _storable(v) for k, v in values.items()}}}
    return Message(render(described, str(text)), msgid=text.msgid, context=text.context, plural=text.plural,
                   number=text.number, params=described["params"])


def describe(text: str) -> dict[str, Any]:
    """What :func:`render` needs to say ``text`` again; ``{}`` for a text without an id."""
    if not isinstance(text, Message):
        return {}
    found: dict[str, Any] = {"msgid": text.msgid}
    if text.context:
        found["context"] = text.context
    if text.plural:
        found["plural"], found["count"] = text.plural, text.number
    if text.params is not None:
        found["params"] = text.params
    return found


def render(described: Mapping[str, Any] | None, fallback: str = "") -> str:
    """The text ``described`` (as :func:`describe` made it) in the active language;
    ``fallback`` (the text as stored) when there is no id or the translation does not fit
    its parameters."""
    if not described or not described.get("msgid"):
        return fallback
    msgid, context, plural = described["msgid"], described.get("context", ""), described.get("plural", "")
    if plural:
        count = int(described.get("count") or 0)
        text = (translation.npgettext(context, msgid, plural, count) if context
                else translation.ngettext(msgid, plural, count))
    else:
        text = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    params = described.get("params")
    if params is None:
        return text.strip()
    values = {k: render(v[_NESTED], "") if isinstance(v, Mapping) and _NESTED in v else v
              for k, v in params.items()}
    try:
        return (text % values).strip()
    except (KeyError, ValueError, TypeError):  # a translation that lost or changed a placeholder
        return fallback


def render_in(language: str, described: Mapping[str, Any] | None, fallback: str = "") -> str:
    """:func:`render` in ``language`` (a recipient's, or English for the logs)."""
    with translation.override(language):
        return render(described, fallback)


def in_english(text: str) -> str:
    """``text`` in English when it knows its id (a job's stored text, for logs and old
    readers); as it is otherwise."""
    return render_in("en", describe(text), text) if isinstance(text, Message) else text


# What a partner's worker may send of a text it describes (jobs/remote): small, flat values.
_WIRE_MAX_PARAMS = 20
_WIRE_MAX_VALUE = 1000
_WIRE_MAX_DEPTH = 2


def from_wire(described: Any, text: str) -> str:
    """``text`` as another machine reported it, knowing the id it described it with when
    that description is one this node could have made: a message id of this node's own
    catalogues (so every format in it is this node's, not the sender's: a crafted
    ``%(x)999999999s`` never reaches ``%``), flat values of bounded size, and a text that
    says it again in English. Anything else keeps the sender's words as they came."""
    if not _wire_ok(described, depth=0):
        return text
    with translation.override("en"):
        if not render(described, ""):
            return text
    params = described.get("params")
    return Message(text, msgid=described["msgid"], context=str(described.get("context", "")),
                   plural=str(described.get("plural", "")),
                   number=int(described["count"]) if described.get("plural") else None,
                   params=dict(params) if isinstance(params, Mapping) else None)


def _wire_ok(described: Any, *, depth: int) -> bool:
    if not isinstance(described, Mapping) or depth > _WIRE_MAX_DEPTH:
        return False
    msgid, context, plural = described.get("msgid"), described.get("context", ""), described.get("plural", "")
    if not (isinstance(msgid, str) and isinstance(context, str) and isinstance(plural, str)):
        return False
    if plural and not isinstance(described.get("count"), int):
        return False
    if not _known(msgid, context=context, plural=bool(plural)):
        return False
    params = described.get("params")
    if params is None:
        return True
    if not isinstance(params, Mapping) or len(params) > _WIRE_MAX_PARAMS:
        return False
    for name, value in params.items():
        if not isinstance(name, str):
            return False
        if isinstance(value, Mapping):
            if set(value) != {_NESTED} or not _wire_ok(value[_NESTED], depth=depth + 1):
                return False
        elif isinstance(value, str):
            if len(value) > _WIRE_MAX_VALUE:
                return False
        elif not (value is None or isinstance(value, (bool, int, float))):
            return False
    return True


def _known(msgid: str, *, context: str, plural: bool) -> bool:
    """Whether ``msgid`` is in this node's catalogues: every one is translated into every
    language (tests/test_catalogues.py sees to it), so a text that two other languages
    leave as it came is not this node's (a text that reads the same in both, a bare
    placeholder, then keeps the worker's words: nothing is lost)."""
    others = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE][:2]
    for code in others:
        with translation.override(code):
            if plural:
                said = (translation.npgettext(context, msgid, msgid, 1) if context
                        else translation.ngettext(msgid, msgid, 1))
            else:
                said = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
        if said != msgid:
            return True
    return False
