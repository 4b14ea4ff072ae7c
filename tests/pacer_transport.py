"""httpx transports that send PACER-host traffic to a local test server, and nothing else.

Real PACER clients (juriscraper's ``PacerSession``, which is an ``httpx.AsyncClient``
subclass, or any ``httpx.Client``) build hard-coded ``https://*.uscourts.gov`` URLs and
scope their cookies to ``.uscourts.gov``. Rewriting their URLs to ``http://127.0.0.1:PORT``
would lose those cookies, so instead we reroute at the transport level (see
/work/shared/reference/juriscraper-client.md §2.2):

* the request keeps its original URL from the client's point of view (cookie jar,
  redirects and relative links all resolve against ``ecf.cit.uscourts.gov`` etc.);
* on the wire only the scheme, host and port are replaced by the live server's, while
  the ``Host`` header keeps the original host name (``pacer.login.uscourts.gov``,
  ``ecf.cit.uscourts.gov``, ``pcl.uscourts.gov``), so the server routes by host the way
  it will in production (run the server with ``settings.ECF_DOMAIN = "uscourts.gov"``);
* any host that is not in ``allowed_hosts`` raises :class:`BlockedHostError` (an
  ``httpx.ConnectError``) before any connection is attempted, so no test can ever
  reach an outside host.

Interface (kept stable for other test modules)::

    from tests.pacer_transport import LocalCourtTransport, DEFAULT_HOSTS

    transport = LocalCourtTransport(live_server.url)            # hosts = DEFAULT_HOSTS
    transport = LocalCourtTransport(live_server.url, allowed_hosts=("ecf.cit.uscourts.gov",))

    # async (juriscraper 4.x PacerSession, httpx.AsyncClient):
    async with PacerSession(username=..., password=..., transport=transport) as s: ...
    # sync (httpx.Client):
    with httpx.Client(transport=transport) as c: c.get("https://ecf.cit.uscourts.gov/...")

    transport.seen   # list of (method, original URL string) for every forwarded request

One object serves both the sync and the async API (it subclasses ``httpx.BaseTransport``
and ``httpx.AsyncBaseTransport``); ``SyncLocalCourtTransport`` and
``AsyncLocalCourtTransport`` are aliases for readers who prefer explicit names. The
forwarding is done by plain ``httpx.HTTPTransport`` / ``httpx.AsyncHTTPTransport``
objects (not clients), so they neither follow redirects nor keep cookies of their own:
the outer client stays in charge of both, exactly as against real PACER.

Host names are compared case-insensitively and exactly; an entry starting with ``*.``
(e.g. ``"*.uscourts.gov"``) matches any sub-domain. ``seen`` lets tests assert what a
client actually requested. The server is told nothing about the rewrite: it receives
plain HTTP with ``Host: <original host>`` (no ``X-Forwarded-*`` headers).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

__all__ = [
    "DEFAULT_HOSTS",
    "AsyncLocalCourtTransport",
    "BlockedHostError",
    "LocalCourtTransport",
    "SyncLocalCourtTransport",
]

#: The PACER hosts our server answers for when ``settings.ECF_DOMAIN == "uscourts.gov"``.
DEFAULT_HOSTS: tuple[str, ...] = (
    "pacer.login.uscourts.gov",
    "ecf.cit.uscourts.gov",
    "pcl.uscourts.gov",
)


class BlockedHostError(httpx.ConnectError):
    """A client tried to reach a host that the transport does not forward."""


class LocalCourtTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Forward requests for ``allowed_hosts`` to ``live_server_url``; refuse all others."""

    def __init__(self, live_server_url: str, allowed_hosts: Iterable[str] = DEFAULT_HOSTS) -> None:
        self._base = httpx.URL(live_server_url)
        if self._base.scheme not in ("http", "https") or not self._base.host:
            raise ValueError(f"not a server URL: {live_server_url!r}")
        self.allowed_hosts: tuple[str, ...] = tuple(h.lower() for h in allowed_hosts)
        self.seen: list[tuple[str, str]] = []
        self._sync: httpx.HTTPTransport | None = None
        self._async: httpx.AsyncHTTPTransport | None = None

    # -- shared ------------------------------------------------------------------------

    def allows(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        for allowed in self.allowed_hosts:
            if allowed.startswith("*."):
                if host.endswith(allowed[1:]):
                    return True
            elif host == allowed:
                return True
        return False

    def _local_request(self, request: httpx.Request) -> httpx.Request:
        host = request.url.host
        if not self.allows(host):
            raise BlockedHostError(f"blocked request to outside host {host!r}", request=request)
        self.seen.append((request.method, str(request.url)))
        url = request.url.copy_with(
            scheme=self._base.scheme, host=self._base.host, port=self._base.port
        )
        # request.headers already carries "Host: <original host>" (httpx sets it from the
        # original URL) and the client's Cookie header; an explicit Host header is kept.
        return httpx.Request(
            request.method,
            url,
            headers=request.headers,
            stream=request.stream,
            extensions=request.extensions,
        )

    # -- sync --------------------------------------------------------------------------

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        local = self._local_request(request)
        if self._sync is None:
            self._sync = httpx.HTTPTransport()
        return self._sync.handle_request(local)

    def close(self) -> None:
        if self._sync is not None:
            self._sync.close()
            self._sync = None

    # -- async -------------------------------------------------------------------------

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        local = self._local_request(request)
        if self._async is None:
            self._async = httpx.AsyncHTTPTransport()
        return await self._async.handle_async_request(local)

    async def aclose(self) -> None:
        if self._async is not None:
            await self._async.aclose()
            self._async = None


#: Explicit-name aliases; all three are the same class.
SyncLocalCourtTransport = LocalCourtTransport
AsyncLocalCourtTransport = LocalCourtTransport


# -- self-tests (run with `pytest tests/pacer_transport.py`; no Django, no outside host) ------


class _EchoHandler(BaseHTTPRequestHandler):
    """Answers every request with what the server saw: Host, path, cookies, body."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        payload = json.dumps(
            {
                "method": self.command,
                "host": self.headers.get("Host"),
                "path": self.path,
                "cookie": self.headers.get("Cookie"),
                "body": body,
            }
        ).encode()
        redirect = self.path.startswith("/redirect")
        self.send_response(302 if redirect else 200)
        if redirect:
            self.send_header("Location", "/landed")
        if self.path.startswith("/set-cookie"):
            self.send_header("Set-Cookie", "NextGenCSO=tok; Domain=.uscourts.gov; Path=/")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def _echo_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_sync_forwarding_keeps_host_and_cookies() -> None:
    with _echo_server() as base, httpx.Client(transport=LocalCourtTransport(base)) as client:
        client.get("https://pacer.login.uscourts.gov/set-cookie")
        seen = client.post("https://ecf.cit.uscourts.gov/cgi-bin/DktRpt.pl?1", content=b"x=1")
        data = seen.json()
        assert data["host"] == "ecf.cit.uscourts.gov"
        assert data["path"] == "/cgi-bin/DktRpt.pl?1"
        assert data["cookie"] == "NextGenCSO=tok"  # the .uscourts.gov cookie went along
        assert data["body"] == "x=1"
        assert str(seen.url) == "https://ecf.cit.uscourts.gov/cgi-bin/DktRpt.pl?1"


def test_sync_redirects_stay_on_the_original_host() -> None:
    with _echo_server() as base:
        transport = LocalCourtTransport(base)
        with httpx.Client(transport=transport, follow_redirects=True) as client:
            landed = client.get("https://ecf.cit.uscourts.gov/redirect")
        assert landed.json()["host"] == "ecf.cit.uscourts.gov"
        assert transport.seen == [
            ("GET", "https://ecf.cit.uscourts.gov/redirect"),
            ("GET", "https://ecf.cit.uscourts.gov/landed"),
        ]


def test_async_forwarding() -> None:
    async def run(base: str) -> dict[str, str]:
        async with httpx.AsyncClient(transport=LocalCourtTransport(base)) as client:
            reply = await client.post(
                "https://pcl.uscourts.gov/pcl-public-api/rest/cases/find?page=0", json={}
            )
            result: dict[str, str] = reply.json()
            return result

    with _echo_server() as base:
        data = asyncio.run(run(base))
    assert data["host"] == "pcl.uscourts.gov"
    assert data["path"] == "/pcl-public-api/rest/cases/find?page=0"


def test_outside_hosts_are_refused_before_connecting() -> None:
    transport = LocalCourtTransport("http://127.0.0.1:9", allowed_hosts=("ecf.cit.uscourts.gov",))
    with httpx.Client(transport=transport) as client:
        for url in (
            "https://pacer.login.uscourts.gov/services/cso-auth",
            "https://court-version-scraper.fly.dev/courts.json",
            "https://ecf.cit.uscourts.gov.evil.example/",
            "http://127.0.0.1:9/",
        ):
            with pytest.raises(BlockedHostError):
                client.get(url)
    assert transport.seen == []

    async def run() -> None:
        async with httpx.AsyncClient(transport=LocalCourtTransport("http://127.0.0.1:9")) as c:
            await c.get("https://ca9-showdoc.azurewebsites.us/")

    with pytest.raises(BlockedHostError):
        asyncio.run(run())


def test_wildcard_hosts() -> None:
    transport = LocalCourtTransport("http://127.0.0.1:9", allowed_hosts=("*.uscourts.gov",))
    assert transport.allows("ecf.ca9.uscourts.gov")
    assert transport.allows("ECF.CIT.USCOURTS.GOV")
    assert not transport.allows("uscourts.gov.example")
    assert not transport.allows("evil-uscourts.gov")
    with pytest.raises(ValueError):
        LocalCourtTransport("127.0.0.1:8000")
