"""`aiwatch classify`, `stories` and `check-config` as subprocesses, to the contract's letter."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.bot_process import bot_env
from tests.conftest import CONFIG_DIR, ROOT


def aiwatch(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args, "--config", str(CONFIG_DIR)],
        input=stdin, capture_output=True, text=True, env=bot_env(), cwd=ROOT, timeout=60,
    )  # fmt: skip


def lines(*items: dict[str, object]) -> str:
    return "".join(json.dumps(item) + "\n" for item in items)


def test_classify_writes_one_contract_line_per_item_in_order():
    """Keys and types as DESIGN.md says, one line per input line, in order."""
    result = aiwatch(
        "classify",
        stdin=lines(
            {
                "id": "a",
                "title": "Statement on LinkedIn's use of members' data to train AI",
                "feed_region": "UK",
            },
            {"id": 7, "title": "Regulator fines shop over cookie banners"},
        ),
    )
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    keys = {"id", "relevant", "score", "platforms", "regions", "event", "reasons"}
    assert [set(o) for o in out] == [keys, keys]
    assert [o["id"] for o in out] == ["a", 7]
    assert out[0]["relevant"] is True
    assert out[0]["regions"] == ["UK"]
    assert out[0]["reasons"]
    assert out[1]["relevant"] is False
    assert out[1]["event"] is None


def test_classify_reads_a_vague_report_beside_the_story_it_continues():
    """Alone, "enrolled in its AI programme" is not the subject; given after Udemy's change
    (input order does not matter: items are read in the order published) it is, and says
    why. The contract's keys and order are unchanged."""
    change = {
        "id": "change",
        "title": "Udemy will use instructors' courses to train AI unless they leave its "
        "generative AI programme",
        "published": "2024-08-20",
    }
    brief = {
        "id": "brief",
        "title": "Udemy instructors are enrolled in its generative AI programme unless they "
        "leave by 12 September",
        "published": "2024-08-21",
    }
    alone = aiwatch("classify", stdin=lines(brief))
    together = aiwatch("classify", stdin=lines(brief, change))
    assert alone.returncode == together.returncode == 0, together.stderr
    assert json.loads(alone.stdout)["relevant"] is False
    out = [json.loads(line) for line in together.stdout.splitlines()]
    assert [o["id"] for o in out] == ["brief", "change"]
    assert out[0]["relevant"] is True
    assert any("relevant beside an open story" in r for r in out[0]["reasons"])
    stories = aiwatch("stories", stdin=lines(brief, change))
    assert [json.loads(line)["items"] for line in stories.stdout.splitlines()] == [
        ["change", "brief"]
    ]


def test_stories_groups_outlets_and_leaves_out_noise():
    """Three reports of one event are one story; a non-relevant item is in no story."""
    result = aiwatch(
        "stories",
        stdin=lines(
            {
                "id": 1,
                "title": "Meta pauses plans to train AI on EU users' data",
                "source": "outlet-a",
                "published": "2024-06-14",
            },
            {
                "id": 2,
                "title": "Meta halts AI training on Europeans' Facebook posts",
                "source": "outlet-b",
                "published": "2024-06-14T18:00:00Z",
            },
            {"id": 3, "title": "Shop fined over cookie banners", "source": "outlet-c"},
            {
                "id": 4,
                "title": "Why Meta paused training its AI on European users' posts",
                "source": "outlet-d",
                "published": "2024-06-16",
            },
        ),
    )
    assert result.returncode == 0, result.stderr
    (story,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert set(story) == {"story", "items", "title", "platforms", "regions", "event"}
    assert story["items"] == [1, 2, 4]
    assert story["platforms"] == ["meta"]


def test_stories_are_the_same_in_any_input_order():
    """Items are placed in the order they were published, whatever order they come in:
    Meta's German plan, a warning letter eight days later and a court bid eight days after
    that make one episode forwards and backwards (placed newest first, the plan would come
    sixteen days after the story's last report, and apart). (Was: a letter, a bid and a
    ruling in two stories; the ruling on the bid is now its episode's.)"""
    items = [
        {"id": "plan", "published": "2025-04-22",
         "title": "Meta will train its AI on public posts of users in Germany"},
        {"id": "letter", "published": "2025-04-30",
         "title": "Consumer group sends Meta a warning letter over AI training in Germany"},
        {"id": "bid", "published": "2025-05-08",
         "title": "After its warning letter, consumer group asks court to stop Meta's AI "
                  "training in Germany"},
    ]  # fmt: skip
    groupings = []
    for order in (items, items[::-1]):
        result = aiwatch("stories", stdin=lines(*order))
        assert result.returncode == 0, result.stderr
        stories = [json.loads(line)["items"] for line in result.stdout.splitlines()]
        groupings.append(sorted(sorted(story) for story in stories))
    assert groupings[0] == groupings[1] == [["bid", "letter", "plan"]]


def test_bad_input_line_exits_2_naming_the_line():
    """Invalid JSON on stdin is a usage error that names the line."""
    result = aiwatch("classify", stdin='{"id": 1, "title": "ok"}\nnot json\n')
    assert result.returncode == 2
    assert "stdin line 2" in result.stderr


def test_check_config_prints_ok():
    """The shipped config is valid."""
    result = aiwatch("check-config")
    assert result.returncode == 0
    assert result.stdout.strip() == "ok"


def test_optout_prints_the_guide_for_a_region():
    result = aiwatch("optout", "linkdin", "--region", "Britain")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("LinkedIn: AI training in United Kingdom")
    assert "Data for Generative AI Improvement" in result.stdout
    assert "Last checked" in result.stdout


def test_optout_with_an_unknown_name_or_region_exits_2_with_one_line():
    for args in (("myspace",), ("linkedin", "--region", "Narnia")):
        result = aiwatch("optout", *args)
        assert result.returncode == 2
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Did you mean" in result.stderr
