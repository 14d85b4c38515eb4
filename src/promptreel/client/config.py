"""Client configuration: server URLs, attribution, the persisted client id and private token cache.

Environment (the same names existing skill clients read, so one shell setup serves both):

* ``NEMO_API_URL`` — API base (default ``http://127.0.0.1:8000``)
* ``NEMO_WEB_URL`` — studio base for links (default: the API base)
* ``NEMO_TOKEN`` — a bearer token to use as is (never cached, never printed)
* ``NEMO_CLIENT_ID`` — the client id for anonymous tokens (default: persisted UUID)
* ``SKILL_SOURCE`` — the ``X-Skill-Source`` attribution value (default ``promptreel``)
* ``PROMPTREEL_CONFIG_DIR`` — where the client id and token cache live
  (default: the user config dir, e.g. ``~/.config/promptreel``)

Tokens obtained anonymously are cached per API base in ``credentials.json`` with mode 0600;
the ``repr`` of everything holding a token hides it.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = [
    "SKILL_NAME",
    "SKILL_VERSION",
    "DEFAULT_SOURCE",
    "DEFAULT_API_URL",
    "ChatSettings",
    "ClientConfig",
    "CredentialStore",
    "detect_platform",
    "load_config",
    "redact",
]

#: the skill's name and version; SKILL.md's frontmatter carries the same values (a test checks)
SKILL_NAME = "promptreel"
SKILL_VERSION = "0.1.0"
DEFAULT_SOURCE = "promptreel"
DEFAULT_API_URL = "http://127.0.0.1:8000"

_TOKEN_RE = re.compile(r"\b(nmv_[A-Za-z0-9_\-]{4,}|Bearer\s+\S+)")


def redact(text: str) -> str:
    """Hide anything that looks like a bearer token in text meant for a person or a log."""
    return _TOKEN_RE.sub("[hidden]", text)


def detect_platform(path: str | Path | None = None) -> str:
    """``X-Skill-Platform`` from the install path: clawhub, cursor, claude, else ``unknown``."""
    where = str(path if path is not None else Path(__file__).resolve()).lower()
    for name in ("clawhub", "cursor", "claude"):
        if name in where:
            return name
    return "unknown"


def _default_config_dir(env: Mapping[str, str]) -> Path:
    explicit = env.get("PROMPTREEL_CONFIG_DIR")
    return Path(explicit) if explicit else Path(user_config_dir("promptreel"))


def _write_private(path: Path, data: dict[str, Any]) -> None:
    """Write JSON atomically with mode 0600 (never readable by others, never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, sort_keys=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class CredentialStore:
    """The client's private state under the config dir: client id, cached tokens, last session.

    ``client.json`` holds the persisted client id; ``credentials.json`` (mode 0600) holds, per
    API base, the anonymous token and the last session's ids so a later run continues the same
    project.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def __repr__(self) -> str:
        return f"CredentialStore({str(self.directory)!r})"

    @property
    def client_file(self) -> Path:
        return self.directory / "client.json"

    @property
    def credentials_file(self) -> Path:
        return self.directory / "credentials.json"

    def client_id(self) -> str:
        """The persisted client id, created (a random UUID) on first use."""
        cid = _read_json(self.client_file).get("client_id")
        if isinstance(cid, str) and cid:
            return cid
        return self.new_client_id()

    def new_client_id(self) -> str:
        cid = str(uuid.uuid4())
        _write_private(self.client_file, {"client_id": cid})
        return cid

    def _entry(self, api_url: str) -> dict[str, Any]:
        entry = _read_json(self.credentials_file).get(api_url.rstrip("/"))
        return entry if isinstance(entry, dict) else {}

    def _update(self, api_url: str, **changes: Any) -> None:
        data = _read_json(self.credentials_file)
        key = api_url.rstrip("/")
        entry = data.get(key) if isinstance(data.get(key), dict) else {}
        assert isinstance(entry, dict)
        for k, v in changes.items():
            if v is None:
                entry.pop(k, None)
            else:
                entry[k] = v
        data[key] = entry
        _write_private(self.credentials_file, data)

    def token(self, api_url: str) -> str | None:
        tok = self._entry(api_url).get("token")
        return tok if isinstance(tok, str) and tok else None

    def save_token(self, api_url: str, token: str | None, expires_at: Any = None) -> None:
        self._update(api_url, token=token, expires_at=expires_at)

    def session(self, api_url: str) -> dict[str, str]:
        s = self._entry(api_url).get("session")
        return {k: str(v) for k, v in s.items() if v} if isinstance(s, dict) else {}

    def save_session(self, api_url: str, session: Mapping[str, str] | None) -> None:
        self._update(api_url, session=dict(session) if session else None)


@dataclass(frozen=True)
class ClientConfig:
    """Where to talk to and who we say we are. ``token`` never appears in ``repr``."""

    api_url: str = DEFAULT_API_URL
    web_url: str = ""
    token: str | None = field(default=None, repr=False)
    client_id: str | None = None
    source: str = DEFAULT_SOURCE
    version: str = SKILL_VERSION
    platform: str = "unknown"
    config_dir: Path = field(default_factory=lambda: _default_config_dir(os.environ))

    @property
    def studio_url(self) -> str:
        return (self.web_url or self.api_url).rstrip("/")

    @property
    def token_from_env(self) -> bool:
        return self.token is not None

    @property
    def session_key(self) -> str:
        """Where the last session is remembered: per API base, and per token when one is given."""
        if not self.token:
            return self.api_url
        import hashlib

        return f"{self.api_url}#token-{hashlib.sha256(self.token.encode()).hexdigest()[:16]}"

    def store(self) -> CredentialStore:
        return CredentialStore(self.config_dir)

    def attribution(self) -> dict[str, str]:
        return {
            "X-Skill-Source": self.source,
            "X-Skill-Version": self.version,
            "X-Skill-Platform": self.platform,
        }


def _platform(env: Mapping[str, str], fallback: str | None) -> str:
    """``SKILL_PLATFORM`` if set, else what the install path says, else the caller's own name."""
    if env.get("SKILL_PLATFORM"):
        return env["SKILL_PLATFORM"]
    detected = detect_platform(sys.argv[0] if sys.argv else None)
    if detected == "unknown":
        detected = detect_platform()
    return detected if detected != "unknown" else (fallback or "unknown")


def load_config(
    env: Mapping[str, str] | None = None,
    *,
    api_url: str | None = None,
    platform: str | None = None,
) -> ClientConfig:
    """Build the configuration from the environment (``NEMO_*``, ``SKILL_SOURCE``) and overrides."""
    env = os.environ if env is None else env
    url = (api_url or env.get("NEMO_API_URL") or DEFAULT_API_URL).rstrip("/")
    return ClientConfig(
        api_url=url,
        web_url=(env.get("NEMO_WEB_URL") or "").rstrip("/"),
        token=env.get("NEMO_TOKEN") or None,
        client_id=env.get("NEMO_CLIENT_ID") or None,
        source=env.get("SKILL_SOURCE") or DEFAULT_SOURCE,
        version=SKILL_VERSION,
        platform=_platform(env, platform),
        config_dir=_default_config_dir(env),
    )


class ChatSettings(BaseSettings):
    """Timers and polling of the chat loop (env prefix ``PROMPTREEL_CHAT_``; tests make them fast)."""

    model_config = SettingsConfigDict(env_prefix="PROMPTREEL_CHAT_", extra="ignore")

    still_working_s: float = 120.0  # "⏳ Still working..." after this much silence, repeated
    give_up_s: float = 600.0  # stop waiting after this long with heartbeats only
    read_timeout_s: float = 60.0  # no byte at all for this long → the stream is considered dropped
    poll_s: float = 30.0  # state polling after a dropped stream that cannot be resumed
    poll_limit: int = 5  # unchanged polls before reporting the failure
    resume_attempts: int = 3  # Last-Event-ID reconnects before falling back to polling
    render_poll_s: float = 2.0  # export progress polling
    render_timeout_s: float = 1800.0
    download_dir: Path = Path(".")
