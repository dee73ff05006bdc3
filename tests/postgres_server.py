"""A throwaway PostgreSQL server for the Postgres end-to-end tests.

Started from the Debian package's binaries in a temporary folder, on a free loopback port, as an
unprivileged user (initdb refuses root: under root the cluster belongs to `nobody`), with a
trust login for one role; stopped and removed afterwards. `start_server` raises `Unavailable`
with the reason when no server can be started here, and the tests skip with that reason.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROLE = "workbench"
DATABASE = "workbench"


class Unavailable(Exception):
    """Why no PostgreSQL server could be started on this machine."""


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str
    database: str

    def dsn(self) -> dict[str, object]:
        return {"host": self.host, "port": self.port, "user": self.user, "dbname": self.database}


def _binaries() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(folder, "pg_ctl").exists():
            return Path(folder)
    raise Unavailable("PostgreSQL is not installed (no pg_ctl; `apt-get install postgresql`)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_owner(argv: list[str]) -> list[str]:
    """Root runs the server's commands as `nobody`; anyone else as themselves."""
    return ["runuser", "-u", "nobody", "--", *argv] if os.geteuid() == 0 else argv


@contextlib.contextmanager
def start_server() -> Iterator[Server]:
    binaries = _binaries()
    folder = Path(tempfile.mkdtemp(prefix="workbench-pg-"))
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        os.chmod(folder, 0o755)
        shutil.chown(folder, "nobody")
        shutil.chown(sockets, "nobody")
    port = _free_port()
    log = folder / "server.log"
    try:
        _run([str(binaries / "initdb"), "-D", str(data), "-U", ROLE, "-A", "trust", "-E", "UTF8", "--no-sync"], folder)
        options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        _run([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start"], folder)
        try:
            _run([str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", ROLE, DATABASE], folder)
            yield Server("127.0.0.1", port, ROLE, DATABASE)
        finally:
            subprocess.run(_as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                           capture_output=True, cwd=folder, timeout=60)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(argv: list[str], folder: Path) -> None:
    done = subprocess.run(_as_owner(argv), capture_output=True, text=True, cwd=folder, timeout=120)
    if done.returncode != 0:
        log = folder / "server.log"
        said = (done.stderr or done.stdout).strip().splitlines()[-3:]
        tail = log.read_text(errors="replace").strip().splitlines()[-3:] if log.exists() else []
        raise Unavailable(f"{Path(argv[0]).name} failed: {' / '.join(said + tail)}")
