"""`dastan manage check --deploy` in a fresh process: clean with the production settings the
README gives (DASTAN_HTTPS=true, a long secret key, named hosts, DEBUG off), and the HTTPS
warnings are back when DASTAN_HTTPS is left out, so the check is not passing by accident."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _check_deploy(tmp_path: Path, **production: str) -> subprocess.CompletedProcess[str]:
    # Start from no DASTAN_* at all: the test run's own settings must not leak in.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DASTAN_", "DJANGO_"))}
    env.update({"DASTAN_HOME": str(tmp_path), "DASTAN_SECRET_KEY": secrets.token_urlsafe(60),
                "DASTAN_ALLOWED_HOSTS": "dastan.example.org", "DASTAN_PUBLIC_URL": "https://dastan.example.org",
                **production})
    return subprocess.run([sys.executable, "-m", "dastan.cli", "manage", "check", "--deploy",
                           "--fail-level", "WARNING"], check=False, env=env, capture_output=True, text=True,
                          timeout=300)


def test_check_deploy_is_clean_with_the_production_settings(tmp_path: Path) -> None:
    done = _check_deploy(tmp_path, DASTAN_HTTPS="true",
                         DASTAN_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto=https")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout + done.stderr


def test_check_deploy_names_what_is_missing_without_https(tmp_path: Path) -> None:
    done = _check_deploy(tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in output, output


def test_dastan_https_turns_on_secure_cookies_hsts_and_the_proxy_header(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    import dastan.settings as dastan_settings

    monkeypatch.setenv("DASTAN_HTTPS", "true")
    monkeypatch.setenv("DASTAN_HSTS_PRELOAD", "false")  # each part can still be turned off
    monkeypatch.setenv("DASTAN_SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto=https")
    try:
        production = importlib.reload(dastan_settings)
        assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
        assert production.LANGUAGE_COOKIE_SECURE and production.SECURE_SSL_REDIRECT
        assert production.SECURE_HSTS_SECONDS == 365 * 24 * 3600
        assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS and not production.SECURE_HSTS_PRELOAD
        assert production.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    finally:
        monkeypatch.undo()
        importlib.reload(dastan_settings)
    assert not dastan_settings.SESSION_COOKIE_SECURE and dastan_settings.SECURE_HSTS_SECONDS == 0
