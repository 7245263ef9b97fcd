"""Group a page's blocks into sessions: one per (tab, runner), in page order, like notebook
cells."""

from __future__ import annotations

from dataclasses import dataclass

from .pages import Block, Page

# Fence language -> runner. A language missing here is reported as "not checked".
RUNNER_OF_LANGUAGE = {
    "py": "python",
    "python": "python",
    "python3": "python",
    "r": "r",
    "rscript": "r",
    "sas": "sas",
    "yaml": "yaml",
    "yml": "yaml",
    "dockerfile": "dockerfile",
    "docker": "dockerfile",
    "bash": "bash",
    "sh": "bash",
    "shell": "bash",
    "console": "bash",
    "shell-session": "bash",
    "json": "json",
}
# How each runner is named in test ids and in the summary.
DISPLAY = {
    "python": "Python",
    "r": "R",
    "sas": "SAS",
    "saspy": "SASPy",
    "yaml": "YAML",
    "dockerfile": "Dockerfile",
    "bash": "Bash",
    "json": "JSON",
}


def runner_of(block: Block) -> str | None:
    runner = RUNNER_OF_LANGUAGE.get(block.lang)
    if runner == "python" and (block.tab or "").lower() == "saspy":
        return "saspy"  # Python code driving SAS: checked against the installed saspy
    return runner


@dataclass
class Session:
    page: Page
    tab: str | None
    runner: str
    blocks: list[Block]

    @property
    def name(self) -> str:
        """`Python` for the Python tab, `YAML` outside tabs, `Python/Bash` for a shell block in a
        Python tab: short, unique within the page, and saying where to look."""
        display = DISPLAY[self.runner]
        if self.tab is None or self.tab.lower() == display.lower():
            return display
        return f"{self.tab}/{display}"

    @property
    def language(self) -> str:
        return DISPLAY[self.runner]

    @property
    def inline(self) -> bool:
        """True when some code is written in the page itself rather than included."""
        return any(line.include < 0 for block in self.blocks for line in block.lines)


def sessions_of(page: Page) -> tuple[list[Session], list[Block]]:
    """The page's sessions in order of first appearance, and the blocks no runner knows."""
    sessions: dict[tuple[str | None, str], Session] = {}
    unchecked = []
    for block in page.blocks:
        runner = runner_of(block)
        if runner is None:
            unchecked.append(block)
            continue
        key = (block.tab, runner)
        sessions.setdefault(key, Session(page, block.tab, runner, [])).blocks.append(block)
    return list(sessions.values()), unchecked
