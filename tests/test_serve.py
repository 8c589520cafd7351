"""`tremplin serve` in production shape: several processes answer, no response names the server
software, and SIGTERM stops the server and every child it started."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREMPLIN = str(Path(sys.executable).parent / "tremplin")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == pid:
                found.add(int(entry.name))
    return found | {g for c in found for g in _children(c)} if found else found


def test_several_processes_serve_without_naming_the_software_and_stop_together(tmp_path):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
           "TREMPLIN_DEBUG": "1"}  # fmt: skip
    server = subprocess.Popen(
        [TREMPLIN, "serve", "--port", str(port), "--processes", "2", "--no-worker"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/static/tremplin/charts.js"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    headers = response.headers
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.2)
        assert headers["Server"] == "Tremplin"
        # A connection left idle between two clicks is still open when the client reuses it
        # (gunicorn's default closed it after 2 s: a request failed now and then under load).
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for pause in (0, 3):
            time.sleep(pause)
            connection.request("GET", "/static/tremplin/charts.js")
            answer = connection.getresponse()
            answer.read()
            assert answer.status == 200 and not answer.will_close
        connection.close()
        children = _children(server.pid)
        assert len(children) >= 3  # gunicorn's master and its two workers
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() and "Z" not in _state(pid) for pid in children):
        assert time.monotonic() < deadline, "a child outlived the server"
        time.sleep(0.2)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
