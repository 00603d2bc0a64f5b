"""What every command returns: plain data each chat adapter renders in its own way.

It sits below `bot.commands` so that the opt-out guide, which the commands use, can answer
with a Reply too without importing the commands back.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    value: str


@dataclass(frozen=True)
class Reply:
    """A command's answer. `private` replies concern only the asker (ephemeral in chat);
    `ok` is False when the input was wrong and the text says what to type instead."""

    title: str
    text: str = ""
    fields: tuple[Field, ...] = ()
    links: tuple[str, ...] = ()
    private: bool = True
    ok: bool = True

    def as_text(self) -> str:
        """The reply as plain text: the console's rendering, and every adapter's fallback."""
        parts = [self.title]
        if self.text:
            parts.append(self.text)
        parts += [f"{field.name}:\n{field.value}" for field in self.fields]
        if self.links:
            parts.append("\n".join(self.links))
        return "\n\n".join(parts)


def problem(title: str, text: str) -> Reply:
    """A reply to wrong input: what was wrong, and what to type instead."""
    return Reply(title=title, text=text, ok=False)


def unknown(what: str, typed: str, closest: list[str], examples: str) -> Reply:
    """'<typed>' is not a <what> we know, the closest known names, and examples to type."""
    hint = f"Did you mean: {', '.join(closest)}? " if closest else ""
    return problem(f"'{typed}' is not a {what} we know", f"{hint}Use {examples}.")


# What an adapter answers when a command fails unexpectedly (it logs the error; the bot runs on).
FAILED = problem(
    "That did not work", "Something went wrong on our side; it is logged. Try again in a minute."
)
