"""Servers the tests start on loopback: a free port, an app served by uvicorn in a thread, a
process group started and stopped, and waiting until a URL answers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from typing import Iterator

import httpx
import uvicorn

from assistant.server import transport
from assistant.server.security import SecuritySettings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen | None = None, seconds: float = 120) -> None:
    """Until GET url answers 200; fails early if `proc` exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(proc.stderr.read() if proc.stderr else f"exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def start_group(cmd: list[str], env: dict | None = None) -> subprocess.Popen:
    """A process in its own group (so its workers stop with it), stderr kept for failures."""
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def stop_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@contextmanager
def serving(app, health: str = "/healthz", security: SecuritySettings | None = None) -> Iterator[str]:
    """uvicorn serving `app` on 127.0.0.1 in a thread, configured as `regassist serve` configures
    it (header deadline, proxy headers) for `security`; yields the base URL."""
    port = free_port()
    server = uvicorn.Server(transport.config(app, "127.0.0.1", port, security or SecuritySettings(),
                                             log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not server.started:
            assert time.monotonic() < deadline, "server did not start within 60 s"
            time.sleep(0.05)
        if health:
            wait_http(base + health, seconds=60)
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)
