"""Every log line of a request is one JSON object carrying the request's id, which the
response also carries."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings as django_settings
from django.test import Client

from nextecf import health
from nextecf.lib.logs import request_id


@pytest.fixture
def json_log(monkeypatch):
    """The root handler of the project's LOGGING, writing into a buffer."""
    buffer = io.StringIO()
    config = json.loads(json.dumps(django_settings.LOGGING))
    config["handlers"]["console"]["stream"] = "ext://sys.stdout"
    monkeypatch.setattr("sys.stdout", buffer)
    logging.config.dictConfig(config)
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.INFO)
    try:
        yield buffer
    finally:
        root.setLevel(old_level)
        logging.config.dictConfig(django_settings.LOGGING)


def test_a_requests_log_lines_are_json_with_its_id(db, json_log, monkeypatch):
    def logging_probe():
        logging.getLogger("nextecf.probe").warning("checking %s", "queue")
        raise RuntimeError("the probe failed")

    monkeypatch.setitem(health.CHECKS, "queue", logging_probe)
    response = Client().get("/readyz")
    rid = response.headers["X-Request-ID"]
    assert len(rid) == 32
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    mine = [line for line in lines if line["logger"] in ("nextecf.probe", "nextecf.health")]
    assert [line["message"] for line in mine] == [
        "checking queue",
        "readyz: queue unreachable: RuntimeError",
    ]
    assert {line["request_id"] for line in mine} == {rid}
    assert all(line["level"] == "WARNING" and line["time"] for line in mine)
    assert request_id.get() == ""  # nothing leaks to the next request on this thread


def test_a_trusted_proxys_request_id_is_kept(db, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    proxied = Client(REMOTE_ADDR="10.0.0.1").get("/healthz", HTTP_X_REQUEST_ID="lb-1234.abc")
    assert proxied.headers["X-Request-ID"] == "lb-1234.abc"


def test_an_untrusted_or_forged_request_id_is_replaced(db, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    direct = Client(REMOTE_ADDR="203.0.113.9").get("/healthz", HTTP_X_REQUEST_ID="mine")
    assert direct.headers["X-Request-ID"] != "mine"
    forged = Client(REMOTE_ADDR="10.0.0.1").get(
        "/healthz", HTTP_X_REQUEST_ID='x", "level": "CRITICAL'
    )
    assert len(forged.headers["X-Request-ID"]) == 32
