"""Group a page's blocks into sessions: one per (tab, runner), in page order, like notebook
cells."""

from __future__ import annotations

from dataclasses import dataclass

from .page import Block, Page
from .registry import Registry, Runner


@dataclass
class Session:
    page: Page
    tab: str | None
    runner: Runner
    blocks: list[Block]

    @property
    def name(self) -> str:
        """`Python` for the Python tab, `YAML` outside tabs, `Python/Bash` for a shell block in a
        Python tab: short, unique within the page, and saying where to look."""
        display = self.runner.display
        if self.tab is None or self.tab.lower() == display.lower():
            return display
        return f"{self.tab}/{display}"

    @property
    def language(self) -> str:
        return self.runner.display

    @property
    def inline(self) -> bool:
        """True when some code is written in the page itself rather than included."""
        return any(line.include < 0 for block in self.blocks for line in block.lines)


def sessions_of(page: Page, registry: Registry) -> tuple[list[Session], list[Block]]:
    """The page's sessions in order of first appearance, and the blocks no runner knows."""
    sessions: dict[tuple[str | None, str], Session] = {}
    unchecked = []
    for block in page.blocks:
        runner = registry.runner_of(block.lang, block.tab)
        if runner is None:
            unchecked.append(block)
            continue
        key = (block.tab, runner.name)
        sessions.setdefault(key, Session(page, block.tab, runner, [])).blocks.append(block)
    return list(sessions.values()), unchecked
