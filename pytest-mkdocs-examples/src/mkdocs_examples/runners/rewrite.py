"""`--update-examples`: put a block's new text back where its lines came from."""

from __future__ import annotations

from ..page import Block


def rewrite_block(block: Block, new_code: str) -> None:
    """Replace the block's lines in their file (a snippet, or the page for inline code).

    Only a block whose lines are one contiguous run of one file can be rewritten, which is what
    an include of a whole file or of one section gives."""
    lines = block.lines
    path = lines[0].path
    first, last = lines[0].lineno, lines[-1].lineno
    if any(line.path != path for line in lines) or last - first + 1 != len(lines):
        raise ValueError(
            f"cannot update block at {block.page}:{block.line}: its lines do not come "
            "from one contiguous part of one file"
        )
    file_lines = path.read_text(encoding="utf-8").split("\n")
    original = file_lines[first - 1]
    indent = original[: len(original) - len(lines[0].text)] if lines[0].text else ""
    new_lines = [indent + text if text else text for text in new_code.rstrip("\n").split("\n")]
    # An included file's final newline shows up as an empty last line of the block: keep it.
    new_lines += [""] * (len(lines) - len(block.code.rstrip("\n").split("\n")))
    file_lines[first - 1 : last] = new_lines
    path.write_text("\n".join(file_lines), encoding="utf-8")
