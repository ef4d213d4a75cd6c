"""How the server meets the network: uvicorn with a deadline for a request's headers (a client
that trickles them is cut off instead of holding a connection forever), X-Forwarded-For believed
only from configured proxies, and idle keep-alive connections closed. Used by `regassist serve`
and by the tests' servers alike."""

from __future__ import annotations

import asyncio
import logging
import os

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from assistant.server.security import DEFAULT_HEADER_TIMEOUT, SecuritySettings

log = logging.getLogger(__name__)

KEEP_ALIVE = 5  # seconds an idle keep-alive connection stays open (uvicorn's default)


def _header_timeout_from_env() -> float:
    # Worker processes import this afresh: they read the deadline where `regassist serve` did.
    try:
        return SecuritySettings.from_env(dict(os.environ)).header_timeout
    except ValueError:
        return DEFAULT_HEADER_TIMEOUT


class DeadlineProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline on each request's headers: from the first
    byte of a request (or the connection's opening) to the end of its headers. uvicorn has none;
    its keep-alive timer stops at the first byte of the next request."""

    header_timeout: float = _header_timeout_from_env()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._header_timer: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def data_received(self, data: bytes) -> None:
        if self.cycle is None or self.cycle.response_complete:
            self._arm()  # the first bytes of a request: its headers are due within the deadline
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport is not None and not self.transport.is_closing():
            log.info("closed a connection whose request headers did not arrive within %gs", self.header_timeout)
            self.transport.close()


def server_options(security: SecuritySettings) -> dict:
    """uvicorn's settings for these security settings (uvicorn.run / uvicorn.Config keywords)."""
    # A class setting (uvicorn instantiates the protocol per connection, and worker processes
    # import it afresh): every server of one process has the deadline last configured.
    DeadlineProtocol.header_timeout = security.header_timeout
    return {"http": DeadlineProtocol, "timeout_keep_alive": KEEP_ALIVE,
            "proxy_headers": bool(security.trusted_proxies),
            "forwarded_allow_ips": list(security.trusted_proxies) or None}


def config(app, host: str, port: int, security: SecuritySettings, **options) -> uvicorn.Config:
    return uvicorn.Config(app, host=host, port=port, **server_options(security), **options)
