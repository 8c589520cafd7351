"""The `tremplin` command's choices that need no server to be checked."""

import os

import django.core.management

from tremplin.cli import demo, demo_site_url


def test_the_demo_links_to_the_port_it_serves_on_unless_the_site_url_is_set():
    assert demo_site_url("127.0.0.1", 8765, {}) == "http://127.0.0.1:8765"
    assert demo_site_url("0.0.0.0", 8765, {}) == "http://127.0.0.1:8765"
    assert demo_site_url("::1", 8765, {}) == "http://[::1]:8765"
    assert demo_site_url("127.0.0.1", 8765, {"TREMPLIN_SITE_URL": ""}) == "http://127.0.0.1:8765"
    chosen = {"TREMPLIN_SITE_URL": "https://tremplin.example.org/"}
    assert demo_site_url("127.0.0.1", 8765, chosen) == "https://tremplin.example.org"


def test_the_demo_sets_the_site_url_before_anything_is_written(monkeypatch, settings):
    monkeypatch.setenv("TREMPLIN_SITE_URL", "")  # not set: restored as it was afterwards
    settings.SITE_URL = "http://127.0.0.1:8000"  # restored too
    seen = []
    monkeypatch.setattr(django.core.management, "call_command",
                        lambda *args, **kwargs: seen.append(settings.SITE_URL))  # fmt: skip
    demo(["--port", "8765", "--no-serve"])
    assert seen == ["http://127.0.0.1:8765"] * 2  # migrate, then the demo company's e-mails
    assert os.environ["TREMPLIN_SITE_URL"] == "http://127.0.0.1:8765"  # for the worker too
