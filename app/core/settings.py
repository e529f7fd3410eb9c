"""Runtime configuration, read from the environment (prefix-free, e.g. DATABASE_URL)."""

from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.sync.limits import DEFAULT_MAX_RETRY_AFTER, MB, SyncLimits

DEFAULT_SQLITE_PATH = Path("var") / "switchboard.db"
SYNC = SyncLimits()


class Settings(BaseSettings):
    """Everything the app, the CLI and the tests configure."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = f"sqlite+aiosqlite:///{DEFAULT_SQLITE_PATH}"
    graphiql: bool = True
    default_account: str = "demo"
    max_page_size: int = 250
    default_region: str = "US"
    db_pool_size: int = 10
    db_max_overflow: int = 10
    db_echo: bool = False
    # Security: who may call, and what one request may cost (README "Security").
    introspection: bool = True
    cors_origins: list[str] = []
    api_key_cache_seconds: float = 30.0
    max_body_bytes: int = 1_000_000
    max_query_tokens: int = 5_000
    max_query_depth: int = 12
    max_query_aliases: int = 30
    max_query_cost: int = 25_000
    # Introspection is measured apart from data (README "Limits"): its own depth, and how many
    # `__schema`/`__type` fields one operation may select.
    max_introspection_depth: int = 20
    max_introspection_fields: int = 3
    # Inputs (app/graphql/inputs.py): bounds on every argument value, and what inputs add to
    # the cost: each list item 1, each phone number to parse `phone_input_cost`, each search
    # (an unindexed scan) `search_cost`.
    max_input_length: int = 1_000
    max_list_length: int = 1_000
    phone_input_cost: int = 20
    search_cost: int = 2_500
    statement_timeout_ms: int = 5_000
    persisted_query_cache_size: int = 10_000
    # Read path: compile each operation to one SQL statement whose value is the response JSON
    # (app/graphql/compiler/); false runs every operation through Strawberry's executor, the
    # reference the differential tests compare the compiler with.
    compiled_reads: bool = True
    compiled_plan_cache_size: int = 512
    # Operations (README "Operations"): Prometheus metrics at /metrics, OpenTelemetry spans.
    metrics: bool = True
    tracing: bool = False
    # Where `serve --demo-key` keeps the demo key, so a rerun reuses it (loopback only).
    demo_key_file: Path = Path("var") / "demo-key"
    # Live data (README "Live data"): subscriptions one API key may hold open per server
    # process, the keep-alive ping interval, and how often SQLite servers look for changes
    # other processes committed.
    max_subscriptions_per_key: int = 20
    ws_ping_seconds: float = 15.0
    live_poll_seconds: float = 1.0
    # Webhook imports (app.ingest.group): how long one may wait for its account's import turn
    # (this process's queue, then other processes' imports) and how many may wait per turn in
    # one process; past either it is refused with 503 and Retry-After, nothing stored.
    import_turn_seconds: float = 5.0
    max_queued_imports: int = 2_000
    # Sync bounds (app.sync.limits; README "Syncing"): `switchboard sync` options override them.
    sync_request_deadline: float = SYNC.request_deadline
    sync_run_deadline: float = SYNC.run_deadline
    sync_max_response_mb: float = SYNC.max_response_bytes / MB
    sync_max_redirects: int = SYNC.max_redirects
    sync_max_pages: int = SYNC.max_pages
    sync_max_retry_after: float = DEFAULT_MAX_RETRY_AFTER

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        """Accept plain URLs and pick the async driver; reject unknown databases."""
        if value.startswith("sqlite:///"):
            value = value.replace("sqlite:///", "sqlite+aiosqlite:///", 1)
        elif value.startswith(("postgresql://", "postgres://")):
            value = "postgresql+asyncpg://" + value.split("://", 1)[1]
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "DATABASE_URL must be sqlite+aiosqlite:///PATH or postgresql+asyncpg://..."
            )
        return value

    @field_validator("import_turn_seconds")
    @classmethod
    def _turn_positive(cls, value: float) -> float:
        if not value > 0:
            raise ValueError("import_turn_seconds must be more than 0")
        return value

    @field_validator("max_page_size")
    @classmethod
    def _page_size_positive(cls, value: int) -> int:
        if not 1 <= value <= 250:
            raise ValueError("max_page_size must be between 1 and 250 (CallRail's maximum)")
        return value

    @field_validator(
        "max_body_bytes",
        "max_query_tokens",
        "max_query_depth",
        "max_query_cost",
        "max_introspection_depth",
        "max_introspection_fields",
        "max_input_length",
        "max_list_length",
        "statement_timeout_ms",
        "max_queued_imports",
    )
    @classmethod
    def _limit_positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("limits must be positive")
        return value

    @field_validator(
        "sync_request_deadline", "sync_run_deadline", "sync_max_response_mb", "sync_max_pages"
    )
    @classmethod
    def _sync_limit_positive(cls, value: float) -> float:
        if not value > 0:
            raise ValueError("sync limits must be more than 0")
        return value

    @field_validator("sync_max_redirects", "sync_max_retry_after")
    @classmethod
    def _sync_limit_not_negative(cls, value: float) -> float:
        if not value >= 0:
            raise ValueError("sync limits must be at least 0")
        return value

    @field_validator("default_region")
    @classmethod
    def _region_upper(cls, value: str) -> str:
        if len(value) != 2 or not value.isalpha():
            raise ValueError("default_region must be a two-letter ISO country code")
        return value.upper()

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
