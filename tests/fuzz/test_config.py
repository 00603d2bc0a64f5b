"""Fuzzing config loading: a copy of config/ with one value of one file changed (another
type, taken away, added, doubled, the text cut), and hostile YAML. The bot either starts
with a config it can use or refuses with the project's ConfigError, every problem located
by file (and entry and field, where the change was inside an entry)."""

from __future__ import annotations

import math
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.classify import Classifier, ItemText
from bot.errors import ConfigError, UsageError
from bot.feeds.schedule import after_failure, after_success, first_poll
from bot.optout.guide import Guide
from bot.settings import Config, load_config, read_environment
from bot.settings.shards import MAX_SHARD_COUNT
from tests.fuzz.budget import fuzz_settings
from tests.fuzz.config_mutations import FILES, Mutation, mutations, texts

SQLITE_INTEGER = 2**63  # what a poll time stored in SQLite must stay below
NOW = 1_800_000_000


def _load(changed: str, text: str) -> tuple[Path, Config | ConfigError]:
    with tempfile.TemporaryDirectory() as tmp:
        config_dir = Path(tmp)
        for name, original in texts().items():
            (config_dir / name).write_text(text if name == changed else original, encoding="utf-8")
        try:
            return config_dir, load_config(config_dir)
        except ConfigError as error:
            return config_dir, error


def _start_with(config: Config) -> None:
    """What the bot does with a config at start-up and in its first cycle, short of the
    network: the classifier, the guide, every feed's schedule."""
    classifier = Classifier(config.rules, config.platforms, config.regions)
    judgement = classifier.classify(ItemText("LinkedIn to train AI on EU users' data", "x"))
    assert math.isfinite(judgement.score)
    guide = Guide(config.optout, config.platforms, config.regions)
    for platform in config.optout.entries:
        assert guide.reply(platform, None).title
    for feed in config.feeds:
        for moment in (first_poll(feed, NOW), after_success(feed, NOW, None),
                       after_failure(feed, NOW, 50, None, random.Random(0))):  # fmt: skip
            assert NOW <= moment < SQLITE_INTEGER


def _located(error: ConfigError, config_dir: Path, mutation: Mutation) -> list[str]:
    """What is wrong with how the problems are reported; empty when each names a config
    file and says what is wrong, and one names the changed file (as where it is, or, when a
    change makes another file wrong, in what it says), with its entry or field when the
    change was inside an entry and the file could still be read as YAML."""
    found = []
    files = {str(config_dir / name) for name in FILES}
    changed = str(config_dir / mutation.file)
    for problem in error.problems:
        if problem.file not in files or not problem.message:
            found.append(f"a problem without its file or message: {problem!r}")
    here = [p for p in error.problems if p.file == changed]
    named = here or [p for p in error.problems if changed in p.message]
    # A region or platform taken away is missed where other files name it ("see regions.yaml")
    if not named and mutation.file not in ("regions.yaml", "platforms.yaml"):
        found.append(f"no problem names {mutation.file}: {[str(p) for p in error.problems]}")
    read = not any(p.message.startswith(("not valid YAML", "cannot read", "a value cannot be read"))
                   for p in here)  # fmt: skip
    inside = len(mutation.path) >= 2 and "+text" not in mutation.kind
    if here and read and inside and not any(p.entry or p.field for p in here):
        found.append(f"no problem names an entry or field: {[str(p) for p in here]}")
    return found


@fuzz_settings(70)
@given(mutations())
def test_a_changed_config_starts_the_bot_or_is_refused_in_words(mutation: Mutation):
    config_dir, loaded = _load(mutation.file, mutation.text)
    if isinstance(loaded, ConfigError):
        assert _located(loaded, config_dir, mutation) == []
    else:
        _start_with(loaded)


def test_the_trimmed_copy_of_the_config_loads():
    """The fuzz starts from a config that works (classifier.yaml with fewer terms)."""
    _, loaded = _load("feeds.yaml", texts()["feeds.yaml"])
    assert isinstance(loaded, Config)
    _start_with(loaded)


HOSTILE_YAML = st.sampled_from([
    "extra: &x [*x]\n",  # an alias inside itself
    "extra: &x {a: *x}\n",
    "extra: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: [*d, *d, *d, *d, *d, *d, *d, *d]\n",  # a billion laughs, smaller
    "[" * 3000 + "]" * 3000 + "\n",
    "!!python/object/apply:os.system [true]\n",
    "? [a, b]\n: c\n",
    "extra: !!binary aGVsbG8=\n",
    "extra: !!set {a, b}\n",
    "extra: 2025-02-30\n",
    "extra: .nan\n",
    "\t- tab\n",
    "\ufeff# a byte-order mark\n",
    "extra: \"\\ud800\"\n",  # a lone surrogate, escaped
])  # fmt: skip


@fuzz_settings(20)
@given(st.sampled_from(FILES), HOSTILE_YAML, st.sampled_from(["append", "replace"]))
@example("classifier.yaml", "extra: &x [*x]\n", "append")  # was a RecursionError
def test_hostile_yaml_is_refused_in_words(file: str, hostile: str, how: str):
    """Aliases that loop or multiply, deep nesting, Python tags, odd keys: a ConfigError,
    or a config the bot can use (an unknown top-level key is ignored in some files)."""
    text = texts()[file] + hostile if how == "append" else hostile
    _, loaded = _load(file, text)
    if isinstance(loaded, ConfigError):
        assert all(problem.file and problem.message for problem in loaded.problems)
    else:
        _start_with(loaded)


ENV_VALUES = st.sampled_from(["", "0", "-1", "1", "1.5", "3000", "65535", "65536", "nan",
                              "inf", "-inf", "1e400", "²", "٣", "0x10", " 8 ", "9" * 40,
                              "abc"])  # fmt: skip


@fuzz_settings(150)
@given(st.dictionaries(st.sampled_from(["SLACK_PORT", "AIWATCH_FETCH_TIMEOUT",
                                        "AIWATCH_BODY_LIMIT", "DISCORD_DEV_GUILD",
                                        "AIWATCH_STATUS_PORT", "DISCORD_SHARD_IDS",
                                        "DISCORD_SHARD_COUNT"]),
                       ENV_VALUES))  # fmt: skip
@example({"SLACK_PORT": "65536"})  # was accepted; the Slack adapter failed to listen
@example({"AIWATCH_FETCH_TIMEOUT": "nan"})  # was accepted as a timeout
@example({"AIWATCH_BODY_LIMIT": "inf"})  # OverflowError
@example({"DISCORD_DEV_GUILD": "²"})  # ValueError
@example({"AIWATCH_STATUS_PORT": "²"})  # ValueError
def test_the_environment_is_read_or_refused_in_words(environ: dict[str, str]):
    """Numbers in the environment: usable values, or a UsageError naming the variable."""
    try:
        env = read_environment(environ=environ, dotenv=Path("/nonexistent/.env"))
    except UsageError as error:
        refused = str(error)
    else:
        refused = ""
    if refused:
        assert any(name in refused for name in environ)
        return
    assert 1 <= env.slack_port <= 65535
    assert math.isfinite(env.fetch_timeout)
    assert env.fetch_timeout > 0
    assert 1 <= env.body_limit < 2**62
    assert env.discord_dev_guild is None or env.discord_dev_guild >= 0
    assert env.status_port is None or 0 <= env.status_port <= 65535
    shards = env.discord_shards  # wrong shard settings stop Discord alone, in words
    if shards.problem:
        assert any(name in shards.problem for name in environ)
    else:
        assert shards.count is None or 1 <= shards.count <= MAX_SHARD_COUNT
        assert shards.ids is None or all(0 <= i < (shards.count or 0) for i in shards.ids)


@pytest.mark.parametrize("file", FILES)
def test_an_empty_file_is_a_config_error_naming_it(file: str):
    """An empty classifier.yaml was a ConfigError with no problem in it (an empty message),
    an empty optout.yaml a guide with no platforms, `[]` in the feeds file no feeds."""
    for text in ("", "~\n", "[]\n", "{}\n"):
        config_dir, loaded = _load(file, text)
        assert isinstance(loaded, ConfigError), text
        assert str(config_dir / file) in {problem.file for problem in loaded.problems}, text


@pytest.mark.parametrize(
    ("file", "written", "changed", "located"),
    [
        # The classifier finds platform and country names in text: a name that is no term
        # loaded, then stopped the bot at start-up with a ValueError from the matcher.
        ("platforms.yaml", "name: LinkedIn", "name: Li*", "#1 (linkedin), field 'name'"),
        ("regions.yaml", "name: United Kingdom", "name: U*K*", "(UK), field 'name'"),
        # A poll time beyond SQLite's integers stopped the bot at the feed's first poll.
        ("feeds.yaml", "interval: 60", "interval: 100000000000000000000", "field 'interval'"),
        # Lists of signal names that are no list, or hold a list: TypeError in load_config
        ("classifier.yaml", "required:\n- ai\n- data\n", "required: 2.5\n",
         "field 'required'"),
        ("classifier.yaml", "    implies:\n    - data\nsignals:", "    implies: 2.5\nsignals:",
         "entry feed kind regulator, field 'implies'"),
        ("classifier.yaml", "- signals:\n  - use\n", "- signals:\n  - [use]\n",
         "entry pair #1, field 'signals'"),
    ],
)  # fmt: skip
def test_what_the_bot_could_not_use_is_refused_at_start_up(
    file: str, written: str, changed: str, located: str
):
    text = texts()[file]
    assert written in text
    _, loaded = _load(file, text.replace(written, changed, 1))
    assert isinstance(loaded, ConfigError)
    assert any(located in str(problem) for problem in loaded.problems)
