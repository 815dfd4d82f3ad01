"""A throwaway PostgreSQL server for a test: initdb into a temporary folder, started on
a free port, stopped and removed afterwards.

Tests run as root, which PostgreSQL refuses to run as, so the server's programs run
as the ``postgres`` user then (``runuser``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

from sqlalchemy import create_engine, text


def server_programs() -> Path | None:
    """The folder holding initdb and pg_ctl (on PATH, or Debian's newest), or None."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """``with Cluster() as server:`` a PostgreSQL server of its own, trusting local users."""

    def __init__(self) -> None:
        programs = server_programs()
        if programs is None:
            raise RuntimeError("the PostgreSQL server programs (initdb, pg_ctl) are missing")
        self.programs = programs
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        # Short, under /tmp: the server's socket path must stay under 108 characters.
        self.root = Path(tempfile.mkdtemp(prefix="ig-pg-", dir="/tmp"))
        self.port = _free_port()
        self.started = False

    def _run(self, program: str, *arguments: str) -> None:
        command = [*self.as_owner, str(self.programs / program), *arguments]
        completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if completed.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} failed: {completed.stderr}{completed.stdout}{tail}")

    def __enter__(self) -> Cluster:
        if self.as_owner:
            shutil.chown(self.root, "postgres", "postgres")
        data = str(self.root / "data")
        try:
            self._run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync",
                      "-E", "UTF8", "--locale=C")  # fmt: skip
            options = (
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            self._run("pg_ctl", "-D", data, "-l", str(self.root / "server.log"), "-w",
                      "-o", options, "start")  # fmt: skip
            self.started = True
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        admin = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return self.url(name)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if self.started:
                self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
