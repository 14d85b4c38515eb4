"""The SDK's credentials: the bearer token in use, where it came from, and the client id."""

from __future__ import annotations

import uuid

from promptreel.client.config import ClientConfig, CredentialStore
from promptreel.client.models import AnonymousToken

__all__ = ["Credentials"]


class Credentials:
    """Token and client id bookkeeping (no IO but the private cache)."""

    def __init__(self, config: ClientConfig, token: str | None, client_id: str | None) -> None:
        self.config = config
        self.store: CredentialStore = config.store()
        self.explicit = bool(token or config.token)
        self.token: str | None = token or config.token or self.store.token(config.api_url)
        self.client_id: str = client_id or config.client_id or self.store.client_id()

    def headers(self, auth: bool) -> dict[str, str]:
        h = self.config.attribution()
        if auth and self.token:
            h["Authorization"] = f"Bearer {self.token}"
        return h

    def remember(self, tok: AnonymousToken) -> None:
        self.token = tok.token
        self.explicit = False
        self.store.save_token(self.config.api_url, tok.token, tok.expires_at)

    def fallback(self) -> bool:
        """After a given token (``NEMO_TOKEN``) is rejected: switch to a cached anonymous token, if any."""
        cached = self.store.token(self.config.api_url)
        if self.explicit and cached and cached != self.token:
            self.token = cached
            self.explicit = False
            return True
        return False

    def forget(self) -> None:
        self.token = None
        if not self.explicit:
            self.store.save_token(self.config.api_url, None)

    def new_client_id(self) -> None:
        if self.config.client_id:  # NEMO_CLIENT_ID given: a fresh one for this run only
            self.client_id = str(uuid.uuid4())
        else:
            self.client_id = self.store.new_client_id()
