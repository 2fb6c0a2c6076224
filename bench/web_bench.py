"""Benchmark of the reporting service: server-side p50/p95 per view type and req/s, 50 clients.

Rows per view type: 'cold' is each distinct page's first request (the data function runs),
'mixed' is the random mix under 50 concurrent clients (the client time includes waiting in the
server's queue; the server time is the app's own), 'cached' is the same pages again one at a
time. The goal lines at the end take, per view type, the larger of the first-view and the mix
server p95 (the issue's measure), show the mix's client p95 beside it (under 50 clients that is
mostly queueing: by Little's law at least 50 / throughput, about 30-40 ms here even for the
minimal route), and compare the ranking pages' req/s with Datasette's.
The load generator is a small keep-alive HTTP/1.1 client, so that it costs less than the servers.
Compares with Datasette serving the same facts from SQLite for the equivalent JSON query, and a
minimal FastAPI response as the ceiling. Prints figures; asserts nothing.

    .venv/bin/python bench/web_bench.py --data-dir var --requests 400
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote_plus

import httpx

VIEWS = {
    "tilannekuva": "/tilannekuva/{area}",
    "ilmio": "/ilmio/{phenomenon}/{area}",
    "ilmionakyma": "/ilmionakyma/{phenomenon}/{area}",
    "indikaattori": "/indikaattori/{indicator}",
    "etusivu": "/",
    "indikaattorihaku": "/indikaattori?q={query}&ilmio={filter}",
}
AREAS = ["SSS", "YTA1", "YTA3", "HVA12", "HVA90", "KU091", "KU837"]
PHENOMENA = ["asunnottomuus", "mielenterveys", "paihteet-ja-riippuvuudet", "taloudellinen-tilanne"]
INDICATORS = ["social-assistance-recipients-pct", "unemployed-pct-of-labour-force", "population"]
QUERIES = ["", "asunno", "suicide", "toimeentulo", "bostadslösa", "per 1000"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(data_dir: str, port: int) -> None:
    """Run our app with a timing header and a minimal /__ping route (child process)."""
    import uvicorn
    from fastapi.responses import PlainTextResponse
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from raketieto.settings import Settings
    from raketieto.web.app import create_app

    app = create_app(Settings(data_dir=Path(data_dir)))

    @app.get("/__ping")
    async def ping() -> PlainTextResponse:  # async, like the views: no thread hop
        return PlainTextResponse("ok")

    class Timed:
        def __init__(self, inner: ASGIApp) -> None:
            self.inner = inner

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            start = time.perf_counter()

            async def timed_send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    elapsed = f"{(time.perf_counter() - start) * 1000:.3f}".encode()
                    message["headers"] = [*message.get("headers", []), (b"x-elapsed-ms", elapsed)]
                await send(message)

            await self.inner(scope, receive, timed_send)

    uvicorn.run(Timed(app), host="127.0.0.1", port=port, log_level="warning")


def _urls(kind: str, rng: random.Random, n: int) -> list[str]:
    template = VIEWS[kind]
    urls = []
    for _ in range(n):
        url = template.format(
            area=rng.choice(AREAS),
            phenomenon=rng.choice(PHENOMENA),
            indicator=rng.choice(INDICATORS),
            query=quote_plus(rng.choice(QUERIES)),
            filter=rng.choice(["", *PHENOMENA]),
        )
        lang = rng.choice(["", "lang=sv", "lang=en"])
        urls.append(url + ("&" if "?" in url else "?") + lang if lang else url)
    return urls


class _Connection:
    """A minimal HTTP/1.1 keep-alive client: the load generator must cost less than the servers.

    (httpx's async client tops out well below a minimal FastAPI route on two cores.)
    """

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, dict[str, str]]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        request = f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n"
        self.writer.write(request.encode("latin-1"))
        await self.writer.drain()
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            key, _, value = line.decode("latin-1").partition(":")
            headers[key.strip().lower()] = value.strip()
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            while (size := int((await self.reader.readline()).strip(), 16)) > 0:
                await self.reader.readexactly(size + 2)
            await self.reader.readline()
        if headers.get("connection") == "close":
            self.writer.close()
            self.writer = None
        return status, headers

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def _load(base: str, urls: list[str], clients: int) -> tuple[list[float], list[float], float]:
    """Fetch urls with `clients` concurrent clients; client and server times and req/s."""
    host, port = base.removeprefix("http://").split(":")
    queue: asyncio.Queue[str] = asyncio.Queue()
    for url in urls:
        queue.put_nowait(url)
    client_ms: list[float] = []
    server_ms: list[float] = []

    async def worker() -> None:
        connection = _Connection(host, int(port))
        try:
            while not queue.empty():
                url = queue.get_nowait()
                start = time.perf_counter()
                status, headers = await connection.get(url)
                client_ms.append((time.perf_counter() - start) * 1000)
                if status >= 400:
                    raise RuntimeError(f"{url}: {status}")
                if "x-elapsed-ms" in headers:
                    server_ms.append(float(headers["x-elapsed-ms"]))
        finally:
            connection.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    elapsed = time.perf_counter() - start
    return client_ms, server_ms, len(urls) / elapsed


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _wait(base: str, path: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + path, timeout=2).status_code < 500:  # /health: 503 until ready
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base} did not start")


def _sqlite_copy(cube: Path, target: Path) -> None:
    import duckdb

    frame = duckdb.connect(str(cube), read_only=True).execute("SELECT * FROM facts").df()
    with sqlite3.connect(target) as db:
        frame.to_sql("facts", db, index=False)
        db.execute("CREATE INDEX facts_key ON facts (indicator_id, level, year, sex, age_group)")


def _row(name: str, client: list[float], server: list[float], rps: float) -> str:
    return (
        f"{name:<34} server p50 {_pct(server, 0.5):7.1f} ms  p95 {_pct(server, 0.95):7.1f} ms   "
        f"client p50 {_pct(client, 0.5):7.1f} ms  p95 {_pct(client, 0.95):7.1f} ms   "
        f"{rps:7.1f} req/s"
    )


def main() -> None:
    """Start the servers, load them and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="var", help="folder holding cube/current.duckdb")
    parser.add_argument("--requests", type=int, default=400, help="requests per measurement")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.data_dir, args.serve)
        return
    rng = random.Random(1)
    port = _free_port()
    ours = subprocess.Popen(
        [sys.executable, __file__, "--data-dir", args.data_dir, "--serve", str(port)]
    )
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "cube.db"
        _sqlite_copy(Path(args.data_dir) / "cube" / "current.duckdb", db)
        ds_port = _free_port()
        datasette = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "datasette"),
                "serve",
                str(db),
                "--port",
                str(ds_port),
                "--setting",
                "num_sql_threads",
                "3",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        ds_base = f"http://127.0.0.1:{ds_port}"
        try:
            _wait(base, "/health")  # 200 once the cube is in memory
            _wait(ds_base, "/")
            print(f"{args.requests} requests per row, {args.clients} concurrent clients\n")
            goals: list[str] = []
            for kind in VIEWS:
                urls = _urls(kind, rng, args.requests)
                cold = asyncio.run(_load(base, sorted(set(urls)), 1))
                print(_row(f"{kind} (cold, 1 client)", *cold))
                mixed = asyncio.run(_load(base, urls, args.clients))
                print(_row(f"{kind} (mixed, {args.clients} clients)", *mixed))
                worst = max(_pct(cold[1], 0.95), _pct(mixed[1], 0.95))
                goals.append(
                    f"{kind}: server p95 {worst:.1f} ms (the larger of first views and the mix) "
                    f"{'MET' if worst < 50 else 'NOT MET'} (goal < 50 ms); client p95 under "
                    f"{args.clients} clients {_pct(mixed[0], 0.95):.1f} ms"
                )
                warm = asyncio.run(_load(base, sorted(set(urls)) * 3, 1))
                print(_row(f"{kind} (cached, 1 client)", *warm))
            print(
                _row("ceiling: /__ping (1 client)", *asyncio.run(_load(base, ["/__ping"] * 200, 1)))
            )
            print(
                _row(
                    "ceiling: FastAPI /__ping",
                    *asyncio.run(_load(base, ["/__ping"] * args.requests, args.clients)),
                )
            )
            # The ranking of the counties by one indicator in one year: Datasette's JSON rows
            # against our pages that show that ranking (as a chart, a table and a sentence).
            years = rng.choices(range(2000, 2012), k=args.requests)
            phenomena = rng.choices(["asunnottomuus", "taloudellinen-tilanne"], k=args.requests)
            query = "indicator=social-assistance-recipients-pct&year={}"
            pages = {
                "ilmio": [
                    f"/ilmio/{p}/SSS?level=hva&" + query.format(y)
                    for p, y in zip(phenomena, years, strict=True)
                ],
                "ilmionakyma": [
                    f"/ilmionakyma/{p}/SSS?" + query.format(y)
                    for p, y in zip(phenomena, years, strict=True)
                ],
            }
            ds_urls = [
                f"/cube/facts.json?indicator_id=social-assistance-recipients-pct&level=hva"
                f"&year={y}&sex=total&age_group=total&_shape=array"
                for y in rng.choices(range(2000, 2012), k=args.requests)
            ]
            ranking_rps: dict[str, float] = {}
            for kind, urls in pages.items():
                first = asyncio.run(_load(base, urls, args.clients))
                print(_row(f"ours: {kind} ranking, first", *first))
                again = asyncio.run(_load(base, urls, args.clients))
                print(_row(f"ours: {kind} ranking, cached", *again))
                ranking_rps[f"{kind} first"], ranking_rps[f"{kind} cached"] = first[2], again[2]
            datasette_run = asyncio.run(_load(ds_base, ds_urls, args.clients))
            print(_row("datasette: same facts (JSON)", *datasette_run))
            print()
            for line in goals:
                print(line)
            for name, rps in ranking_rps.items():
                ratio = rps / datasette_run[2]
                verdict = "MET" if ratio >= 2 else "NOT MET"
                print(f"{name}: {ratio:.1f} x Datasette's req/s {verdict} (goal >= 2 x)")
        finally:
            for process in (ours, datasette):
                process.terminate()
                process.wait(timeout=10)


if __name__ == "__main__":
    main()
