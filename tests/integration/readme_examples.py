"""The YAML examples of README.md, read from the file itself so that a test runs them as written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import re
from typing import Any

import yaml

README = Path(__file__).resolve().parents[2] / "README.md"
_BLOCK = re.compile(r"^(?P<indent>[ \t]*)```yaml\n(?P<body>.*?)^(?P=indent)```", re.S | re.M)


@dataclass(frozen=True)
class Example:
    """One YAML block of the README, with the heading it stands under."""

    heading: str
    text: str

    @property
    def data(self) -> Any:
        """The block as Home Assistant would read it."""
        return yaml.safe_load(self.text)


def examples() -> list[Example]:
    """Every ```yaml block of README.md, in order, dedented as Home Assistant would read it."""
    text = README.read_text(encoding="utf-8")
    found = []
    for match in _BLOCK.finditer(text):
        heading = next(
            (h for h in reversed(re.findall(r"^#+ (.+)$", text[: match.start()], re.M))),
            "",
        )
        indent = len(match["indent"])
        body = "".join(line[indent:] for line in match["body"].splitlines(keepends=True))
        found.append(Example(heading, body))
    return found


def automations() -> dict[str, dict[str, Any]]:
    """The README's automations by alias."""
    result: dict[str, dict[str, Any]] = {}
    for example in examples():
        data = example.data
        if isinstance(data, dict) and "automation" in data:
            for item in data["automation"]:
                assert item["alias"] not in result, f"two README automations: {item['alias']}"
                result[item["alias"]] = item
    return result


def by_key(key: str) -> list[Example]:
    """The README's examples whose top level has ``key`` (``type`` for dashboard cards)."""
    return [e for e in examples() if isinstance(e.data, dict) and key in e.data]


def block_with(alias: str) -> Example:
    """The README block that holds the automation with this alias (with what it configures)."""
    for example in examples():
        data = example.data
        if isinstance(data, dict) and any(
            item.get("alias") == alias for item in data.get("automation", [])
        ):
            return example
    raise LookupError(alias)


def statistics_graphs(card: object) -> list[dict[str, Any]]:
    """Every statistics-graph card in a dashboard example, stacked ones too."""
    if isinstance(card, list):
        return [graph for item in card for graph in statistics_graphs(item)]
    if not isinstance(card, dict):
        return []
    own = [card] if card.get("type") == "statistics-graph" else []
    return own + statistics_graphs(card.get("cards", []))
