"""Translation through any OpenAI-compatible chat-completions endpoint (a local llama.cpp or
vLLM server, or a hosted one).

Configured in ``DASTAN_ENGINES["OPTIONS"]["openai-chat"]``: ``url`` (the API base, e.g.
``http://127.0.0.1:8080/v1``), ``model``, ``key_env`` (the name of the environment variable
that holds the key, never the key itself; empty for servers without one) and
``languages`` (the languages the operator trusts this model with; every ordered pair of
them is offered). One request per text at temperature 0, so a text never bleeds into its
neighbour's answer. Nothing here claims a quality: that is the reviewer's call.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any

from django.utils.translation import gettext

from dastan.catalog.languages import CODES, display_name
from dastan.localization.engines.base import EngineInfo, Provenance, Translation
from dastan.localization.errors import EngineFailed, EngineUnavailable

SYSTEM_PROMPT = ("You are a subtitle translator for film. Translate the user's text from "
                 "{source} to {target}. Keep names, numbers and line meaning; reply with the "
                 "translation only, without quotes or notes.")
_SETTING = "DASTAN_ENGINES['OPTIONS']['openai-chat']"


class OpenAIChatTranslator:
    """The ``Translator`` over an OpenAI-compatible ``/chat/completions`` endpoint."""

    name = "openai-chat"

    def __init__(self, *, url: str = "", model: str = "", key_env: str = "",
                 languages: list[str] | None = None, timeout_s: float = 120.0,
                 system_prompt: str = SYSTEM_PROMPT) -> None:
        self.url = url.rstrip("/")
        self.model = model
        self.key_env = key_env
        self.languages = tuple(languages) if languages is not None else CODES
        self.timeout_s = timeout_s
        self.system_prompt = system_prompt

    def check_available(self) -> None:
        if not self.url or not self.model:
            raise EngineUnavailable(
                gettext("No OpenAI-compatible chat endpoint is configured."),
                gettext("Set %(setting)s = {'url': 'http://host:port/v1', 'model': '…', "
                        "'key_env': 'NAME_OF_KEY_VARIABLE'}.") % {"setting": _SETTING},
            )
        if self.key_env and not os.environ.get(self.key_env):
            raise EngineUnavailable(
                gettext("The chat endpoint's key variable %(variable)s is not set.") % {"variable": self.key_env},
                gettext("Export %(variable)s=… for the web and worker processes, or clear "
                        "'key_env' in %(setting)s for a server without keys.")
                % {"variable": self.key_env, "setting": _SETTING},
            )

    def available(self) -> bool:
        try:
            self.check_available()
        except EngineUnavailable:
            return False
        return True

    def pairs(self) -> set[tuple[str, str]]:
        if not self.available():
            return set()
        return {(s, t) for s in self.languages for t in self.languages if s != t}

    def describe(self) -> EngineInfo:
        try:
            self.check_available()
        except EngineUnavailable as exc:
            return EngineInfo(self.name, "mt", False, kind="llm", problem=str(exc))
        return EngineInfo(self.name, "mt", True, self.languages, "llm", self.model,
                          source=self.url)

    def translate(self, *, texts: list[str], source: str, target: str) -> Translation:
        """One chat completion per non-empty text. Raises ``EngineUnavailable`` when not
        configured or the pair is not among ``languages``; ``EngineFailed`` when the
        server answers with an error, an unreadable body or an empty translation."""
        self.check_available()
        if (source, target) not in self.pairs():
            raise EngineUnavailable(
                gettext("The chat endpoint is not configured for %(source)s→%(target)s.")
                % {"source": source, "target": target},
                gettext("Add both languages to 'languages' in %(setting)s if the model handles them.")
                % {"setting": _SETTING},
            )
        prompt = self.system_prompt.format(source=display_name(source, "en"),
                                           target=display_name(target, "en"))
        out = tuple(self._complete(prompt, text) if text.strip() else "" for text in texts)
        provenance = Provenance(self.name, self.model, settings=(("temperature", "0"),
                                                                 ("url", self.url)))
        return Translation(out, source, target, provenance)

    def _complete(self, system: str, text: str) -> str:
        body = {"model": self.model, "temperature": 0,
                "messages": [{"role": "system", "content": system},
                             {"role": "user", "content": text}]}
        answer = self._post("/chat/completions", body)
        try:
            content = answer["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError) as exc:
            raise EngineFailed(
                f"The chat endpoint {self.url} answered without choices[0].message.content.",
                "Check that the URL is an OpenAI-compatible API base (ending in /v1).",
            ) from exc
        if not isinstance(content, str) or not content.strip():
            raise EngineFailed(f"The chat endpoint {self.url} returned an empty translation.",
                               "Check the model name and that it is loaded on the server.")
        return content.strip()

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        if self.key_env:
            headers["Authorization"] = f"Bearer {os.environ[self.key_env]}"
        request = urllib.request.Request(self.url + path, json.dumps(body).encode(), headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                data = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:300]
            hint = (f"Check the key in {self.key_env}." if exc.code in (401, 403) else
                    "Check the model name and the server's log.")
            raise EngineFailed(f"The chat endpoint {self.url} answered HTTP {exc.code}: "
                               f"{detail}", hint) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise EngineFailed(f"The chat endpoint {self.url} could not be reached: {exc}",
                               f"Check that the server runs, or the 'url' in {_SETTING}.") from exc
        except ValueError as exc:
            raise EngineFailed(f"The chat endpoint {self.url} did not answer JSON.",
                               "Check that the URL is an OpenAI-compatible API base.") from exc
        if not isinstance(data, dict):
            raise EngineFailed(f"The chat endpoint {self.url} answered {type(data).__name__}, "
                               "not a JSON object.", "Check the URL.")
        return data
