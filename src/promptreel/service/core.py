"""The service container: builds every use-case over one database and blob store."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from promptreel.service.auth import AuthService
from promptreel.service.credits import CreditService
from promptreel.service.links import Signer, load_secret
from promptreel.service.port import Studio, load_studio
from promptreel.service.renders import RenderService
from promptreel.service.sessions import SessionService
from promptreel.service.turns import TurnService
from promptreel.service.uploads import UploadService
from promptreel.settings import Settings
from promptreel.storage import BlobStore, Database

__all__ = ["Services", "build_services"]

log = logging.getLogger("promptreel.service")


@dataclass
class Services:
    settings: Settings
    db: Database
    blobs: BlobStore
    signer: Signer
    auth: AuthService
    credits: CreditService
    sessions: SessionService
    uploads: UploadService
    renders: RenderService
    turns: TurnService
    _studio: Studio | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    started: bool = False

    def studio(self) -> Studio:
        """The Studio implementation, imported on first use (keeps server start fast)."""
        with self._lock:
            if self._studio is None:
                self._studio = load_studio(self.settings.studio)
            return self._studio

    def start(self) -> None:
        """Migrate, recover what a previous process left behind, start the workers."""
        if self.started:
            return
        self.db.migrate()
        self.blobs.clean_tmp()
        self.renders.recover()
        self.turns.recover()
        self.renders.start()
        self.turns.start_watchdog()
        threading.Thread(target=self._warm, name="studio-warmup", daemon=True).start()
        self.started = True

    def _warm(self) -> None:
        """Import the studio in the background so the first turn does not wait for it."""
        try:
            self.studio()
        except Exception:
            log.exception("the studio could not be loaded (PROMPTREEL_STUDIO=%r)", self.settings.studio)

    def stop(self) -> None:
        self.renders.stop()
        self.turns.stop()
        self.started = False


def build_services(settings: Settings, studio: Studio | None = None) -> Services:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.resolved_database_url)
    blobs = BlobStore(settings.data_dir / "files")
    signer = Signer(load_secret(settings.secret_key, settings.data_dir), settings.link_ttl_s)
    holder: list[Services] = []

    def get_studio() -> Studio:
        return holder[0].studio()

    sessions = SessionService(db, settings)
    credits = CreditService(db, settings)
    uploads = UploadService(db, blobs, settings)
    svc = Services(
        settings=settings,
        db=db,
        blobs=blobs,
        signer=signer,
        auth=AuthService(db, settings),
        credits=credits,
        sessions=sessions,
        uploads=uploads,
        renders=RenderService(db, blobs, settings, get_studio, sessions, uploads, signer),
        turns=TurnService(db, blobs, settings, get_studio, sessions, credits, uploads),
        _studio=studio,
    )
    holder.append(svc)
    return svc
