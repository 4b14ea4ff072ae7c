"""A browser session over real HTTP, for tests that race a live server from threads.

Each session keeps its own cookies and the CSRF token of the last form it was shown, does
not follow redirects (so every step's own status can be checked), and opens a connection
per request (so one can be opened ahead of a race and the requests meet at the server).
"""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from nextecf.accounts.factories import PASSWORD

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Response:
    status: int
    location: str
    body: str

    def __str__(self) -> str:
        return f"{self.status} {self.location or self.body[:1500]}"


class Browser:
    """One browser session against the live server."""

    def __init__(self, base_url: str, *, timeout: float = 90, agent: str = "race-test") -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "localhost", parts.port
        self.timeout, self.agent = timeout, agent
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def connect(self) -> http.client.HTTPConnection:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        connection.connect()
        return connection

    def get(self, path: str) -> Response:
        return self.send("GET", path)

    def post(
        self,
        path: str,
        data: dict[str, object],
        *,
        multipart: bool = False,
        connection: http.client.HTTPConnection | None = None,
    ) -> Response:
        data = {**data, "csrfmiddlewaretoken": self.csrf}
        if multipart:
            body = encode_multipart(BOUNDARY, data)
            return self.send("POST", path, body, MULTIPART_CONTENT, connection)
        body = urlencode(data, doseq=True).encode()
        return self.send("POST", path, body, "application/x-www-form-urlencoded", connection)

    def send(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str = "",
        connection: http.client.HTTPConnection | None = None,
    ) -> Response:
        connection = connection or self.connect()
        headers = {"Connection": "close", "User-Agent": self.agent}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode()
        finally:
            connection.close()
        for header in raw.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if match := CSRF_FIELD.search(text):
            self.csrf = match.group(1)
        return Response(raw.status, raw.getheader("Location", ""), text)

    def sign_in(self, username: str) -> Response:
        """Log in through the court's login page (with the redaction step for filers)."""
        login = "/csologin/login/?court=cit"
        assert self.get(login).status == 200
        response = self.post(login, {"username": username, "password": PASSWORD, "client_code": ""})
        if response.status == 302 and "/login/continue/" in response.location:
            self.get(response.location)
            response = self.post(response.location, {"redaction": "on"})
        assert response.status == 302, response
        return response
