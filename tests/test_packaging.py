"""What a new user meets: the compose file, the Dockerfile, the two commands, CI."""

from __future__ import annotations

import tomllib
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from tests.conftest import ROOT


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def test_compose_runs_the_bot_on_postgresql_by_default():
    """`docker compose up -d` starts PostgreSQL with its data in a named volume, and the bot
    on it once `pg_isready` says so; the bot's URL names that service and its user."""
    services = compose()["services"]
    database, bot = services["postgres"], services["aiwatch"]
    assert "profiles" not in database
    assert "profiles" not in bot
    volume, mount = database["volumes"][0].split(":")
    assert mount == "/var/lib/postgresql/data"
    assert volume in compose()["volumes"]
    assert "pg_isready" in database["healthcheck"]["test"]
    assert bot["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    url = urlsplit(bot["environment"]["AIWATCH_DB"].replace("${POSTGRES_PASSWORD:-aiwatch}", "pw"))
    assert (url.scheme, url.hostname, url.username, url.path) == (
        "postgresql", "postgres", database["environment"]["POSTGRES_USER"],
        "/" + database["environment"]["POSTGRES_DB"],
    )  # fmt: skip
    assert "ports" not in database  # reachable on the compose network only


def test_compose_keeps_an_sqlite_profile_with_a_database_volume():
    """`docker compose --profile sqlite up -d aiwatch-sqlite`: one process on a file in a
    named volume (the volume earlier versions used, so an install keeps its data)."""
    service = compose()["services"]["aiwatch-sqlite"]
    assert service["profiles"] == ["sqlite"]
    db_dir = service["environment"]["AIWATCH_DB"].rsplit("/", 1)[0]
    volume, mount = service["volumes"][0].split(":")
    assert (volume, mount) == ("aiwatch-data", db_dir)
    assert volume in compose()["volumes"]


@pytest.mark.parametrize("name", ["aiwatch", "aiwatch-sqlite"])
def test_compose_runs_each_bot_with_the_env_file_and_checks_healthz(name: str):
    """Each bot runs `aiwatch run`, reads .env, serves its status on the host's 127.0.0.1
    only, and its healthcheck asks /healthz (tests/status/test_server.py runs the command)."""
    service = compose()["services"][name]
    assert service["command"] == ["run"]
    env_files = [e["path"] if isinstance(e, dict) else e for e in service["env_file"]]
    assert ".env" in env_files
    port = service["environment"]["AIWATCH_STATUS_PORT"]
    [published] = service["ports"]
    assert published.startswith("127.0.0.1:")
    assert published.endswith(f":{port}")
    test = service["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    assert "/healthz" in test[3]
    assert "AIWATCH_STATUS_PORT" in test[3]


def test_dockerfile_installs_the_package_and_runs_it():
    """The image installs this project and starts the console script."""
    text = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir ." in text
    assert 'ENTRYPOINT ["aiwatch"]' in text
    assert "VOLUME" in text


def test_readme_opens_with_the_two_commands():
    """The first section a new user reads is `make run` and `make test`."""
    text = (ROOT / "README.md").read_text()
    first_section = text.split("\n## ")[1]
    assert first_section.startswith("Two commands")
    assert "make run" in first_section
    assert "make test" in first_section


def test_console_script_and_ci():
    """`aiwatch` is the console script, and CI runs exactly `make test`."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["aiwatch"] == "bot.cli:main"
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_env_file_is_ignored_by_git():
    """Secrets in .env can never be committed by accident."""
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()
