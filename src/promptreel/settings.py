"""All configuration, from the environment (prefix ``PROMPTREEL_``) or a ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["RenderBackend", "Settings", "get_settings"]

#: where a render's chunks run: this process, this machine's processes, or a Ray cluster
RenderBackend = Literal["local", "process", "ray"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PROMPTREEL_", env_file=".env", extra="ignore")

    # where everything lives
    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir("promptreel")))
    database_url: str = ""  # empty → sqlite:///<data_dir>/promptreel.db
    cache_dir: Path | None = None  # empty → <data_dir>/cache

    # server
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = ""  # base URL used in links (studio, downloads); empty → request base
    secret_key: str = ""  # HMAC key for signed links; empty → generated once into data_dir
    require_attribution: bool = True
    anonymous_scopes: list[str] = ["read", "write", "upload", "render"]
    anonymous_credits: int = 100  # a trial: one generation and many refinements at the default costs
    signup_credits: int = 100  # granted once to every newly registered account (on top of a trial's rest)
    token_ttl_s: int = 7 * 24 * 3600
    claim_ttl_s: int = 7 * 24 * 3600
    tokens_per_ip: int = 10
    # reverse proxies (addresses or networks, e.g. ["10.0.0.2", "172.16.0.0/12"]) whose
    # ``proxy_header`` names the client; from any other peer that header is ignored (README "Behind
    # a reverse proxy"); empty → every limit per address counts the connecting peer
    trusted_proxies: list[str] = []
    proxy_header: Literal["x-forwarded-for", "forwarded"] = "x-forwarded-for"
    login_failures_per_address: int = 100  # wrong passwords from one address per 15 minutes (any accounts)
    projects_per_hour: int = 200  # new projects (sessions, copies) one account may open per hour
    max_projects: int = 5000  # projects one account may keep (deleted ones not counted)
    streams_per_user: int = 64  # agent streams (/run_sse) one account holds open at once (a script running
    # many turns in parallel on one token stays well inside it; 1,500 had stalled the server)
    streams_per_render: int = 16  # followers of one render's preview stream at once
    max_upload_bytes: int = 500 * 1024 * 1024
    max_body_bytes: int = 16 * 1024 * 1024  # JSON request bodies (uploads stream and have their own limits)
    max_image_pixels: int = 40_000_000  # width × height of an uploaded picture or video frame
    probe_concurrency: int = 2  # uploaded files checked at once (each holds a bounded amount of memory)
    url_fetch_timeout_s: float = 30.0  # total per fetched URL: resolve, connect, redirects and body
    url_fetches_per_user: int = 4  # URL uploads in progress at once per user (more → 429)
    url_fetches_max: int = 16  # URL uploads in progress at once on this server (more → 429)
    cost_generate: int = 20  # a generation turn (both stages)
    cost_edit: int = 2  # an editing turn that changed the draft; questions, undo and redo are free
    local_mode: bool = (
        False  # single user on loopback (`serve --local`): credits never block, nothing is charged
    )
    turn_timeout_s: int = 15 * 60
    storage_reserve_bytes: int = 8 * 1024 * 1024  # disk set aside to finish work cleanly when it fills up
    heartbeat_s: float = 10.0
    render_workers: int = 1  # renders at once (each in its own worker process with job_processes)
    turn_workers: int = 4
    # turns' generation/edits and renders run in worker processes at a lower CPU priority, so the
    # API keeps answering while the machine renders; false → in threads of the serving process
    job_processes: bool = True
    turn_processes: int = 2  # worker processes computing turns (planning, speech) at once
    job_nice: int = 10  # how much lower their CPU priority is (0-19)
    link_ttl_s: int = 24 * 3600  # lifetime of signed download links
    allow_private_urls: bool = False  # URL uploads may reach loopback/private hosts (tests only)
    url_allow_hosts: list[str] = []  # these exact hosts may be private (tests only); redirects still checked
    studio: str = ""  # "module:attr" of the Studio implementation; empty → promptreel.service.studio
    fake_engines: bool = False  # tones instead of speech, plain shapes instead of icons (tests, dry runs)

    # roles at scale (README "Running on more than one machine")
    jobs_in_serve: bool = True  # serve runs turns and renders too; false → HTTP only (`promptreel worker`)
    migrate_on_start: bool = True  # false → serve/worker wait for `promptreel migrate`
    schema_wait_s: float = 300.0  # how long they wait
    job_lease_s: float = 30.0  # a job whose worker stopped renewing its lease this long is taken over
    job_poll_s: float = 0.5  # how often an idle worker looks for jobs
    stream_poll_s: float = 0.5  # how often a stream looks for events written by another process
    worker_id: str = ""  # empty → host:pid:random
    blob_store: str = "local"  # local (files under data_dir) | s3 (any S3-compatible endpoint)
    s3_endpoint_url: str = ""  # empty → AWS
    s3_bucket: str = ""
    s3_prefix: str = "blobs/"
    s3_region: str = "us-east-1"
    s3_access_key_id: str = ""  # empty → the usual AWS credential chain
    s3_secret_access_key: str = ""

    # generation
    voice_en: str = "en_US-joe-medium"
    voice_zh: str = ""  # empty → the best installed: Kokoro (the kokoro-zh extra), else espeak-ng "cmn"
    speech_rate: float = 1.0
    soundfont: Path | None = None  # empty → first General MIDI soundfont found on the system
    icon_dir: Path | None = None  # empty → node_modules/@iconify-json next to the project
    llm_base_url: str = ""  # OpenAI-compatible; empty → deterministic agent
    llm_model: str = ""
    llm_api_key: SecretStr = SecretStr("")  # PROMPTREEL_LLM_API_KEY; never printed or logged

    # rendering
    encoder_preset: str = "ultrafast"
    encoder_params: str = "cabac=1:deblock=1:aq-mode=1:8x8dct=1"  # x264 options on top of the preset
    encoder_crf: int = 20
    render_backend: RenderBackend = "local"
    render_chunk_s: int = 4  # seconds per chunk: the unit of parallel work and of re-use after an edit
    ray_address: str = ""
    render_chunk_cache: bool = True  # keep rendered chunks so an edit re-renders only what changed
    max_duration_ms: int = 15 * 60 * 1000
    max_segments: int = 2000
    max_canvas_px: int = 3840

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, value: list[str]) -> list[str]:
        import ipaddress

        for entry in value:
            try:
                ipaddress.ip_network(entry.strip(), strict=False)
            except ValueError:
                raise ValueError(f"trusted_proxies: {entry!r} is not an IP address or network") from None
        return value

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'promptreel.db'}"

    @property
    def resolved_cache_dir(self) -> Path:
        return self.cache_dir or self.data_dir / "cache"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
