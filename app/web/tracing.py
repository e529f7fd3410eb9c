"""OpenTelemetry tracing behind TRACING=true (the `tracing` extra): a span per HTTP request
and, on the general path, Strawberry's operation, parse, validation and resolver spans under
it, exported over OTLP/HTTP (the standard OTEL_* variables configure the exporter). Spans
never carry the document or argument values: they may hold phone numbers."""

import os
from collections.abc import Callable, Generator
from contextlib import AbstractContextManager
from typing import Any

TRACER_NAME = "switchboard"
MISSING = (
    "TRACING=true needs OpenTelemetry: install the tracing extra "
    "(pip install 'switchboard[tracing]')"
)


class TracingUnavailable(RuntimeError):
    """TRACING=true without the OpenTelemetry packages."""


def _no_arguments(args: dict[str, Any], info: Any) -> dict[str, Any]:
    return {}


def strawberry_extension() -> type:
    """Strawberry's OpenTelemetryExtension without the document and argument values."""
    from strawberry.extensions.tracing import OpenTelemetryExtension

    class PrivateOpenTelemetry(OpenTelemetryExtension):
        def __init__(self, *, execution_context: Any = None) -> None:
            super().__init__(execution_context=execution_context, arg_filter=_no_arguments)

        def on_operation(self) -> Generator[None, None, None]:
            # The parent records `query` (the document) as a span attribute before yielding:
            # hide it for that step only.
            context = self.execution_context
            query, context.query = context.query, None
            inner = super().on_operation()
            try:
                next(inner)
            finally:
                context.query = query
            yield
            next(inner, None)

    return PrivateOpenTelemetry


def configure_schema(schema: Any, *, enabled: bool) -> None:
    """Add (or remove) the tracing extension on the process's one schema."""
    kept = tuple(e for e in schema.extensions if not getattr(e, "_switchboard_tracing", False))
    if enabled:
        extension = strawberry_extension()
        extension._switchboard_tracing = True  # type: ignore[attr-defined]
        kept = (*kept, extension)
    schema.extensions = kept


def request_spans() -> Callable[[str], AbstractContextManager[Any]]:
    """What TelemetryMiddleware opens per request: a current SERVER span. Installs an SDK
    tracer provider exporting over OTLP unless the process already set one up."""
    try:
        from opentelemetry import trace
    except ImportError as exc:
        raise TracingUnavailable(MISSING) from exc
    if not _has_sdk_provider(trace.get_tracer_provider()):
        _install_otlp_provider()
    tracer = trace.get_tracer(TRACER_NAME)

    def span(name: str) -> AbstractContextManager[Any]:
        return tracer.start_as_current_span(name, kind=trace.SpanKind.SERVER)

    return span


def _has_sdk_provider(provider: Any) -> bool:
    return type(provider).__module__.startswith("opentelemetry.sdk")


def _install_otlp_provider() -> None:
    try:
        from opentelemetry import trace
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError as exc:
        raise TracingUnavailable(MISSING) from exc
    service = os.environ.get("OTEL_SERVICE_NAME") or "switchboard"
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
