"""A small HTTP/1.1 load client on asyncio streams: N clients, keep-alive, one page at a time.

Each client holds one connection and reuses it while the server keeps it open
(gunicorn's sync workers close it after every response, its threaded workers do not),
so the figures are what a browser on the same machine would see, not a connect each time.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

TIMEOUT_S = 60.0


@dataclass
class Sample:
    """What one page answered across every client of a run."""

    timings_ms: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    wall_s: float = 0.0


class Connection:
    """One keep-alive connection to 127.0.0.1:port, reopened when the server closes it."""

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.port = port
        self.headers = headers
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        """GET ``path``; the status and body."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        await self.writer.drain()
        status, headers = await _head(self.reader)
        body = await _body(self.reader, headers)
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def _head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line.split()[1])
    headers: dict[str, str] = {}
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


async def _body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if "content-length" in headers:
        return await reader.readexactly(int(headers["content-length"]))
    if headers.get("transfer-encoding", "").lower() != "chunked":
        return await reader.read()  # the body ends when the server closes
    chunks = []
    while size := int((await reader.readline()).split(b";")[0], 16):
        chunks.append(await reader.readexactly(size))
        await reader.readline()
    await reader.readline()
    return b"".join(chunks)


async def _client(
    connection: Connection, paths: Callable[[int], str], take: Callable[[], int | None], out: Sample
) -> None:
    while (n := take()) is not None:
        started = time.perf_counter()
        try:
            status, body = await asyncio.wait_for(connection.get(paths(n)), TIMEOUT_S)
        except (OSError, ConnectionError, TimeoutError, asyncio.IncompleteReadError):
            await connection.close()
            out.errors += 1
            continue
        out.timings_ms.append((time.perf_counter() - started) * 1000)
        out.sizes.append(len(body))
        out.statuses[status] = out.statuses.get(status, 0) + 1
        if status != 200:
            out.errors += 1
    await connection.close()


async def drive(
    ports: tuple[int, ...],
    headers: dict[str, str],
    paths: Callable[[int], str],
    clients: int,
    requests: int,
) -> Sample:
    """Send ``requests`` GETs from ``clients`` concurrent connections; what came back.

    Clients are spread over ``ports`` in turn, as a reverse proxy spreads browsers over
    app servers: client n talks to ``ports[n % len(ports)]``.
    """
    counter = iter(range(requests))
    out = Sample()

    def take() -> int | None:
        return next(counter, None)

    started = time.perf_counter()
    await asyncio.gather(
        *(
            _client(Connection(ports[n % len(ports)], headers), paths, take, out)
            for n in range(clients)
        )
    )
    out.wall_s = time.perf_counter() - started
    return out
