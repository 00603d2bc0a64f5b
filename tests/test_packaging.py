"""What a new user meets: the compose file, the Dockerfile, the two commands, CI."""

from __future__ import annotations

import tomllib

import yaml

from tests.conftest import ROOT


def test_compose_runs_the_bot_with_a_database_volume_and_env_file():
    """The service runs `aiwatch run`, keeps its database in a named volume, reads .env."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    service = compose["services"]["aiwatch"]
    assert service["command"] == ["run"]
    db_dir = service["environment"]["AIWATCH_DB"].rsplit("/", 1)[0]
    volume, mount = service["volumes"][0].split(":")
    assert mount == db_dir
    assert volume in compose["volumes"]
    env_files = [e["path"] if isinstance(e, dict) else e for e in service["env_file"]]
    assert ".env" in env_files


def test_compose_serves_the_status_on_the_host_loopback_and_checks_healthz():
    """The status port is on, published to the host's 127.0.0.1 only, and the healthcheck
    asks /healthz on it (tests/status/test_server.py runs the command itself)."""
    service = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["aiwatch"]
    port = service["environment"]["AIWATCH_STATUS_PORT"]
    assert service["ports"] == [f"127.0.0.1:{port}:{port}"]
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
