"""gunicorn processes for the load benchmark: ig from ``wsgi.py`` and the floor app, each on
a free loopback port in its own process group."""

from __future__ import annotations

import contextlib
import http.client
import re
import subprocess
import sys
import time
from pathlib import Path

from ig.settings import PROJECT_ROOT

START_SECONDS = 60


class Gunicorn:
    """``gunicorn [options] APP`` with ``workers`` workers, its log in ``directory``."""

    def __init__(
        self, app: str, env: dict[str, str], directory: Path, workers: int, threads: int
    ) -> None:
        self.workers = workers
        directory.mkdir(parents=True, exist_ok=True)
        env = {**env, "HOME": str(directory)}  # each its own ~/.gunicorn control socket
        self.log = directory / f"gunicorn-{app.split(':')[0]}.log"
        command = [str(Path(sys.executable).parent / "gunicorn"), "--bind", "127.0.0.1:0"]
        command += ["--workers", str(workers), "--threads", str(threads), app]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
                command,
                env=env,
                cwd=PROJECT_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.port = 0

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait(self, probe: str) -> int:
        """Wait until every worker has booted and ``probe`` answers 200; the port.

        Raises SystemExit with the log if gunicorn exits or is not serving in time."""
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(
                    f"gunicorn exited with {self.process.returncode}:\n{self.output()}"
                )
            listening = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", self.output())
            if listening and self.output().count("Booting worker with pid") >= self.workers:
                self.port = int(listening.group(1))
                with contextlib.suppress(OSError):
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                    connection.request("GET", probe)
                    if connection.getresponse().status == 200:
                        return self.port
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn did not serve within {START_SECONDS} s:\n{self.output()}")

    def stop(self) -> None:
        """gunicorn's graceful shutdown (SIGTERM), then SIGKILL if it lingers."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
