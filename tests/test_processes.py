"""The production process file and gunicorn's configuration: web, workers, exactly one beat,
and a web server that logs every request and replaces stuck workers."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def processes() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def test_the_procfile_runs_web_workers_and_exactly_one_beat():
    procs = processes()

    assert set(procs) == {"release", "web", "worker", "beat"}
    assert procs["web"].startswith("gunicorn --config gunicorn.conf.py marketplace.wsgi")
    assert " worker " in procs["worker"]
    assert [name for name, command in procs.items() if " beat " in command] == ["beat"]
    assert "migrate" in procs["release"]
    for command in procs.values():
        program = command.split()[0]
        assert program == "python" or (BIN / program).exists(), program


def gunicorn_settings(**env) -> dict[str, str]:
    result = subprocess.run(
        [
            str(BIN / "gunicorn"),
            "--config",
            "gunicorn.conf.py",
            "--print-config",
            "marketplace.wsgi",
        ],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    found = re.findall(r"^(\w+)\s+= (.*)$", result.stdout, re.MULTILINE)
    return dict(found)


def test_gunicorn_logs_every_request_and_replaces_stuck_workers():
    values = gunicorn_settings(WEB_CONCURRENCY="3", PORT="8123")

    assert values["workers"] == "3"
    assert values["bind"] == "['0.0.0.0:8123']"
    assert values["timeout"] == "60"
    assert values["accesslog"] == "-"
    assert "request_id=%({x-request-id}o)s" in values["access_log_format"]
    assert int(values["max_requests"]) > 0
    # Two web processes on one host would otherwise share one control socket path.
    assert values["control_socket_disable"] == "True"


def test_gunicorn_settings_follow_the_environment():
    values = gunicorn_settings(
        GUNICORN_BIND="127.0.0.1:8401", GUNICORN_TIMEOUT="20", WEB_CONCURRENCY="2"
    )

    assert (values["bind"], values["timeout"], values["workers"]) == (
        "['127.0.0.1:8401']",
        "20",
        "2",
    )
