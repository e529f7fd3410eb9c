"""A fake vendor API for the sync tests: serves records in each vendor's paging style, logs every
request, injects faults (status codes, dropped connections, stalls, redirects, trickled or huge
bodies, any JSON) and runs under uvicorn on 127.0.0.1 in a background thread."""

import asyncio
import math
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

Records = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    path: str
    params: dict[str, str]
    headers: dict[str, str]
    fault: str | None
    at: float = field(default_factory=time.monotonic)


@dataclass(kw_only=True)
class Fault:
    """A failure served instead of the real response to matching requests, `times` times."""

    # "status"; "drop": the connection closes mid-body; "stall": no answer for `seconds`;
    # "html": a 200 whose body is not JSON (a captive proxy, say); "json": a 200 with `body`;
    # "redirect": a 302 to the same path and query (plus hop=1) under the base URL `to`;
    # "trickle": a 200 whose body comes one byte every `seconds`, never ending;
    # "huge": a 200 streaming `size` bytes, declaring its length when `declare`
    kind: str
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    when: dict[str, str] = field(default_factory=dict)  # query params a request must carry
    times: int = 1
    seconds: float = 0.0
    body: Any = None
    to: str = ""
    size: int = 0
    declare: bool = False

    def matches(self, params: Mapping[str, str]) -> bool:
        return self.times > 0 and all(params.get(k) == v for k, v in self.when.items())

    @property
    def label(self) -> str:
        return str(self.status) if self.kind == "status" else self.kind


class FakeVendor:
    """ASGI app for all four vendors' list endpoints, over in-memory records."""

    def __init__(
        self,
        *,
        records: Records,
        expected_headers: Mapping[str, str],
        butter_page_size: int = 2,
        trackdrive_metadata: bool = True,
    ) -> None:
        self.records = records
        self.expected_headers = {k.lower(): v for k, v in expected_headers.items()}
        self.butter_page_size = butter_page_size
        self.trackdrive_metadata = trackdrive_metadata
        self.faults: list[Fault] = []
        self.log: list[Seen] = []
        self._app = Starlette(routes=ROUTES)
        self._app.state.vendor = self

    def reset(self) -> None:
        """Forget faults and logged requests (a server is shared by a module's tests)."""
        self.faults.clear()
        self.log.clear()

    def inject(self, fault: Fault) -> None:
        self.faults.append(fault)

    def served(self, param: str) -> list[str]:
        """The `param` of every request that got a real response, in order."""
        return [seen.params.get(param, "") for seen in self.log if seen.fault is None]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        params = dict(request.query_params)
        fault = next((f for f in self.faults if f.matches(params)), None)
        self.log.append(Seen(scope["path"], params, dict(request.headers), fault and fault.label))
        if fault is None:
            await self._app(scope, receive, send)
            return
        fault.times -= 1
        await _serve_fault(fault, scope, receive, send)

    def check_auth(self, request: Request) -> JSONResponse | None:
        for name, value in self.expected_headers.items():
            if request.headers.get(name) != value:
                return JSONResponse({"error": f"bad or missing {name}"}, status_code=401)
        return None


async def _serve_fault(fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
    if fault.kind == "stall":
        await asyncio.sleep(fault.seconds)
    if fault.kind == "html":
        await HTMLResponse("<html>maintenance</html>")(scope, _no_receive, send)
        return
    if fault.kind == "json":
        await JSONResponse(fault.body)(scope, _no_receive, send)
        return
    if fault.kind == "redirect":
        query = "&".join(filter(None, [scope["query_string"].decode(), "hop=1"]))
        location = f"{fault.to}{scope['path']}?{query}"
        await RedirectResponse(location, status_code=302)(scope, _no_receive, send)
        return
    if fault.kind in ("status", "stall"):
        response = JSONResponse({"error": "injected"}, fault.status, headers=fault.headers)
        await response(scope, _no_receive, send)
        return
    if fault.kind in ("trickle", "huge"):
        await _until_disconnect(_stream(fault, send), receive)
        return
    # Promise a long body, send a little and return: uvicorn then closes the connection.
    headers = [(b"content-type", b"application/json"), (b"content-length", b"1000")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b'{"page": ', "more_body": True})


async def _stream(fault: Fault, send: Send) -> None:
    """A body that trickles forever, or `size` bytes of JSON whitespace before a short list."""
    headers = [(b"content-type", b"application/json")]
    if fault.declare:
        headers.append((b"content-length", str(fault.size + 2).encode()))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    if fault.kind == "trickle":
        while True:
            await send({"type": "http.response.body", "body": b" ", "more_body": True})
            await asyncio.sleep(fault.seconds)
    chunk = b" " * 65536
    for _ in range(fault.size // len(chunk)):
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await asyncio.sleep(0)
    await send({"type": "http.response.body", "body": b"[]"})


async def _until_disconnect(streaming: Any, receive: Receive) -> None:
    """Run `streaming` until it ends or the client goes away, whichever is first."""
    body = asyncio.ensure_future(streaming)
    gone = asyncio.ensure_future(_disconnected(receive))
    await asyncio.wait({body, gone}, return_when=asyncio.FIRST_COMPLETED)
    for task in (body, gone):
        task.cancel()


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _no_receive() -> dict[str, Any]:
    return {"type": "http.disconnect"}


def _vendor(request: Request) -> FakeVendor:
    vendor: FakeVendor = request.app.state.vendor
    return vendor


def _int(request: Request, name: str, default: int) -> int:
    return int(request.query_params.get(name, default))


async def callrail_sources(request: Request) -> JSONResponse:
    vendor = _vendor(request)
    if denied := vendor.check_auth(request):
        return denied
    page, per_page = _int(request, "page", 1), _int(request, "per_page", 100)
    if per_page > 250:
        return JSONResponse({"error": "per_page must be at most 250"}, status_code=400)
    rows = vendor.records["sources"]
    if company := request.query_params.get("company_id"):
        rows = [row for row in rows if str(row["company_id"]) == company]
    body = {
        "page": page,
        "per_page": per_page,
        "total_pages": math.ceil(len(rows) / per_page),
        "total_records": len(rows),
        "sources": rows[(page - 1) * per_page : page * per_page],
    }
    return JSONResponse(body)


async def fone_list(request: Request) -> JSONResponse:
    vendor = _vendor(request)
    if denied := vendor.check_auth(request):
        return denied
    collection, sid = request.path_params["collection"], request.path_params["sid"]
    rows = vendor.records[collection.lower()]
    if request.path_params["owner"] == "Properties":
        rows = [row for row in rows if row["PropertySid"] == sid]
    after, before = request.query_params.get("After"), request.query_params.get("Before")
    if after:  # after is inclusive, before exclusive, as the vendor documents
        rows = [row for row in rows if int(row["DateTime"]) >= int(after)]
    if before:
        rows = [row for row in rows if int(row["DateTime"]) < int(before)]
    skip, count = _int(request, "Results_Skip", 0), min(_int(request, "Results_Count", 200), 200)
    return JSONResponse(rows[skip : skip + count])


async def butter_phone_numbers(request: Request) -> JSONResponse:
    vendor = _vendor(request)
    if denied := vendor.check_auth(request):
        return denied
    rows = vendor.records["phone-numbers"]
    if status := request.query_params.get("status"):
        rows = [row for row in rows if row["status"] == status]
    start = int(request.query_params.get("cursor", "cur_0").removeprefix("cur_"))
    end = start + vendor.butter_page_size
    pagination = {
        "next_cursor": f"cur_{end}" if end < len(rows) else None,
        "has_more": end < len(rows),
        "page_size": vendor.butter_page_size,
        "total_count": len(rows),
    }
    return JSONResponse({"success": True, "data": rows[start:end], "pagination": pagination})


async def trackdrive_leads(request: Request) -> JSONResponse:
    vendor = _vendor(request)
    if denied := vendor.check_auth(request):
        return denied
    page, per_page = _int(request, "page", 1), _int(request, "per_page", 25)
    rows = vendor.records["leads"]
    metadata = {
        "page": page,
        "per_page": per_page,
        "total_count": len(rows),
        "total_pages": math.ceil(len(rows) / per_page),
    }
    leads = rows[(page - 1) * per_page : page * per_page]
    if not vendor.trackdrive_metadata:
        metadata = {}
    return JSONResponse({"leads": leads, "metadata": metadata})


ROUTES = [
    Route("/v1/sources.json", callrail_sources),
    Route("/v2/{owner:str}/{sid:str}/{collection:str}", fone_list),
    Route("/api/phone-numbers", butter_phone_numbers),
    Route("/api/v1/leads", trackdrive_leads),
]


@contextmanager
def serving(app: FakeVendor) -> Iterator[str]:
    """Run `app` under uvicorn on a free loopback port; yield its base URL; stop it cleanly."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        app, lifespan="off", http="h11", ws="none", log_config=None, log_level="critical"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "fake server did not start"
            time.sleep(0.005)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()
