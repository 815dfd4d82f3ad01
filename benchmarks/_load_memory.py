"""Memory of the app servers' workers under load: resident (RSS) and proportional (PSS)
sizes, and whether they stay flat over a long run of requests (the soak).

RSS counts every page a worker maps, the libraries it shares with the other workers
included; PSS divides each shared page among the processes that share it, so the sum of
the workers' PSS is what the workers cost the machine. Both are read from /proc.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks._load_servers import Gunicorn


@dataclass(frozen=True)
class Memory:
    """One worker's memory in MB."""

    rss: float
    pss: float


def _kb(text: str, field: str) -> float:
    found = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return round(int(found.group(1)) / 1024, 1) if found else 0.0


def workers(servers: list[Gunicorn]) -> dict[int, Memory]:
    """Each worker of ``servers`` by process id (a worker that has just gone is left out)."""
    found = {}
    for server in servers:
        pid = server.process.pid
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            try:
                rollup = Path(f"/proc/{child}/smaps_rollup").read_text()
            except OSError:
                continue
            found[int(child)] = Memory(_kb(rollup, "Rss"), _kb(rollup, "Pss"))
    return found


def summary(memory: dict[int, Memory]) -> dict[str, float]:
    """The largest worker's RSS and PSS, for the report."""
    values = list(memory.values()) or [Memory(0.0, 0.0)]
    return {"max_rss_mb": max(m.rss for m in values), "max_pss_mb": max(m.pss for m in values)}


async def soak(
    servers: list[Gunicorn], requests: int, drive_share: Callable[[int], Awaitable[None]]
) -> dict[str, object]:
    """Send ``requests`` more requests (``drive_share(n)`` sends n, spread over every page),
    a tenth first to warm up; each worker's memory after the warm-up and at the end."""
    warm = max(1, requests // 10)
    await drive_share(warm)
    after_warm = workers(servers)
    await drive_share(requests - warm)
    at_end = workers(servers)
    growth = {
        pid: round(at_end[pid].pss - after_warm[pid].pss, 1) for pid in at_end if pid in after_warm
    }
    return {
        "requests": requests,
        "after_warm_up": summary(after_warm),
        "at_end": summary(at_end),
        "largest_pss_growth_mb": max(growth.values(), default=0.0),
    }
