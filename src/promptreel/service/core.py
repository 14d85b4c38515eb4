"""The service container: builds every use-case over one database and blob store."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from promptreel.clock import SYSTEM, Clock
from promptreel.service.auth import AuthService
from promptreel.service.credits import CreditService
from promptreel.service.links import Signer, load_secret
from promptreel.service.pool import ProcessStudio
from promptreel.service.port import Studio, load_studio
from promptreel.service.renders import RenderService
from promptreel.service.sessions import SessionService
from promptreel.service.turns import TurnService
from promptreel.service.uploads import UploadService
from promptreel.service.worker import JobWorker
from promptreel.settings import Settings
from promptreel.storage import BlobStore, Database, warm
from promptreel.storage.objects import ObjectStore, S3Objects

__all__ = ["Services", "build_services", "object_store", "wait_for_schema"]

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
    worker: JobWorker | None = None
    processes: ProcessStudio | None = None

    def studio(self) -> Studio:
        """Where turns and renders compute: the worker processes once jobs have started in them
        (``job_processes``), else the Studio implementation in this process, imported on first use."""
        if self.processes is not None:
            return self.processes
        with self._lock:
            if self._studio is None:
                self._studio = load_studio(self.settings)
            return self._studio

    def start(self, *, jobs: bool | None = None) -> None:
        """Migrate (or wait for ``promptreel migrate``), then, when this process runs jobs (``jobs``,
        default ``settings.jobs_in_serve``), start a worker taking turns and renders.

        A SQLite database belongs to one process: what a previous one left behind is recovered
        at start (interrupted turns failed, renders re-queued). A shared database is never
        touched that way: jobs of a worker that died are taken over when their leases run out.
        """
        if self.started:
            return
        jobs = self.settings.jobs_in_serve if jobs is None else jobs
        if self.settings.migrate_on_start:
            self.db.migrate()
        else:
            wait_for_schema(self.db, self.settings.schema_wait_s)
        single = self.db.is_sqlite
        self.blobs.clean_tmp(0.0 if single else 3600.0)
        with self.db.read() as s:  # the first requests after start find their statements compiled
            warm.reads(s)
        if jobs:
            if single:
                self.renders.recover()
                self.turns.runner.fail_interrupted()
            self.turns.runner.ensure_reserve()
            if self.settings.job_processes and self._studio is None:
                # the worker processes start, load and warm the studio in the background
                self.processes = ProcessStudio(self.settings)
                self.processes.start()
            else:
                threading.Thread(target=self._warm, name="studio-warmup", daemon=True).start()
            self.worker = JobWorker(self.db, self.settings, self.turns, self.renders)
            self.worker.start()
            # one process owns a SQLite database: every event is written here, and wakes its streams
            self.turns.local_events = single
        else:
            self.turns.runner.ensure_reserve()
        self.started = True

    def _warm(self) -> None:
        """Import the studio in the background so the first turn does not wait for it."""
        try:
            self.studio()
        except Exception:
            log.exception("the studio could not be loaded (PROMPTREEL_STUDIO=%r)", self.settings.studio)

    def stop(self) -> None:
        self.turns.local_events = False
        if self.worker is not None:
            self.worker.stop()
            self.worker = None
        if self.processes is not None:
            self.processes.stop()
            self.processes = None
        self.started = False


def wait_for_schema(db: Database, timeout_s: float) -> None:
    """Block until ``promptreel migrate`` has brought the database to the current schema."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if db.at_head():
                return
        except Exception as exc:  # not reachable yet, or no schema at all yet
            log.info("waiting for the database: %s", exc.__class__.__name__)
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"the database schema is not current after {timeout_s:.0f} s: run `promptreel migrate`"
            )
        time.sleep(0.5)


def object_store(settings: Settings) -> ObjectStore | None:
    """The durable blob store the settings name (``None``: files under the data dir)."""
    if settings.blob_store in ("", "local"):
        return None
    if settings.blob_store == "s3":
        return S3Objects(
            settings.s3_bucket,
            prefix=settings.s3_prefix,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
        )
    raise ValueError(f"unknown blob_store {settings.blob_store!r} (local or s3)")


def build_services(settings: Settings, studio: Studio | None = None, clock: Clock = SYSTEM) -> Services:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.resolved_database_url)
    blobs = BlobStore(settings.data_dir / "files", object_store(settings))
    signer = Signer(load_secret(settings.secret_key, settings.data_dir), settings.link_ttl_s, clock)
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
        auth=AuthService(db, settings, clock),
        credits=credits,
        sessions=sessions,
        uploads=uploads,
        renders=RenderService(db, blobs, settings, get_studio, sessions, uploads, signer),
        turns=TurnService(db, blobs, settings, get_studio, sessions, credits, uploads),
        _studio=studio,
    )
    holder.append(svc)
    svc.turns.runner.exporter = svc.renders.export_and_wait  # "export for Premiere" in chat
    return svc
