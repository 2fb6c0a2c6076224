"""A real HTTP server on 127.0.0.1 (random port) that answers from fixtures or scripted faults."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
JSON_TYPE = "application/json;charset=UTF-8"


@dataclass
class Reply:
    """One scripted answer: status, headers, body, and a delay before answering."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": JSON_TYPE})
    delay: float = 0.0

    @classmethod
    def json(cls, content: Any, **kwargs: Any) -> Reply:
        """A 200 answer with content as JSON."""
        return cls(body=json.dumps(content, ensure_ascii=False).encode("utf-8"), **kwargs)

    @classmethod
    def file(cls, relative: str, **kwargs: Any) -> Reply:
        """A 200 answer with a fixture file's bytes (path relative to tests/fixtures)."""
        return cls(body=(FIXTURES / relative).read_bytes(), **kwargs)


@dataclass
class Seen:
    """A request the server received."""

    method: str
    path: str
    query: list[tuple[str, str]]
    body: Any


Handler = Callable[[Seen], Reply]


class FakeServer:
    """Routes by path; each route is a list of replies used in turn (the last one repeats)."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply] | Handler] = {}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                del format, args

            def _answer(self, method: str) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                seen = Seen(method, parts.path, parse_qsl(parts.query), body)
                reply = server._reply(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                # The client may have given up already (a timeout test); that is expected.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)

            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        """The server's base URL, ending in a slash."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def route(self, path: str, *replies: Reply) -> None:
        """Answer path with these replies in turn; the last one repeats."""
        self.routes[path] = list(replies)

    def handle(self, path: str, handler: Handler) -> None:
        """Answer path by calling handler with the request."""
        self.routes[path] = handler

    def requests_to(self, path: str) -> list[Seen]:
        """The requests received for path."""
        return [s for s in self.seen if s.path == path]

    def _reply(self, seen: Seen) -> Reply:
        with self._lock:
            self.seen.append(seen)
            route = self.routes.get(seen.path)
            if route is None:
                return Reply(
                    404, b"<html><body>Not Found</body></html>", {"Content-Type": "text/html"}
                )
            if callable(route):
                return route(seen)
            return route.pop(0) if len(route) > 1 else route[0]

    def start(self) -> FakeServer:
        """Start serving in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()


@contextlib.contextmanager
def running() -> Iterator[FakeServer]:
    """A started server, stopped afterwards."""
    server = FakeServer().start()
    try:
        yield server
    finally:
        server.stop()
