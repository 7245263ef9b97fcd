"""MkDocs hook: the notebook pages' stylesheet without the rules no notebook page can use.

nbconvert ships all of JupyterLab's CSS with every notebook (overrides/hooks/notebooks.py
moves it to one shared file, assets/notebooks/notebook-HASH.css): 600 kB, 91 kB gzipped, the
heaviest file of the heaviest pages, of which the static notebook pages use a few percent.
After the last language is built, this hook rewrites that file keeping:

- every rule, except the selectors naming a JupyterLab class (`jp-`, `lm-`, `p-`, `bp3-`,
  `CodeMirror`, `cm-`, widgets) that appears in no published notebook page (outside
  `:not()`): the pages are static HTML, no script adds those classes, so such a selector
  matches nothing;
- of the custom properties (`--jp-...`), those that a kept rule or a page uses, directly or
  through another property.

About 40 kB remain (6 kB gzipped), under a name made from their own hash. The result is
cached in `.cache/notebook-css/` by the hash of the stylesheet and of the classes the pages
use; tinycss2 (a pinned dependency) is imported only on a cache miss. `NOTEBOOK_CSS_PRUNE=off` keeps the whole file.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from mkdocs.plugins import event_priority

PRUNABLE = re.compile(r"^(jp-|lm-|p-|bp3-|CodeMirror|cm-|widget|jupyter-widget)")
CLASS_IN_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
NEGATION = re.compile(r":not\([^()]*\)", re.IGNORECASE)
CLASS_ATTRIBUTE = re.compile(r"""class=["']([^"']*)["']""")
VAR = re.compile(r"var\(\s*(--[\w-]+)")
CACHE_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # this code


def prune_css(css: str, classes: set[str], page_vars: set[str] = frozenset()) -> str:
    """The stylesheet without selectors that need an absent JupyterLab class, and without
    custom properties nothing uses."""
    import tinycss2

    def keep(selector: str) -> bool:
        # A class under :not() need not be present for the selector to match: not counted.
        positive = selector
        while NEGATION.search(positive):
            positive = NEGATION.sub("", positive)
        return all(name in classes or not PRUNABLE.match(name)
                   for name in CLASS_IN_SELECTOR.findall(positive))

    def split_selectors(prelude) -> list[str]:
        """At the list's own commas only, not those inside :not(...) or :is(...)."""
        parts, current = [], []
        for token in prelude:
            if token.type == "literal" and token.value == ",":
                parts.append(current)
                current = []
            else:
                current.append(token)
        parts.append(current)
        return [tinycss2.serialize(part).strip() for part in parts]

    def declarations(body):
        return [d for d in tinycss2.parse_declaration_list(body, skip_comments=True,
                                                           skip_whitespace=True)
                if d.type == "declaration"]

    def rules(nodes) -> list:
        kept = []
        for node in nodes:
            if node.type == "qualified-rule":
                selectors = [s for s in split_selectors(node.prelude) if keep(s)]
                if selectors:
                    kept.append(("rule", ", ".join(selectors), declarations(node.content)))
            elif node.type == "at-rule" and node.content is not None and \
                    node.lower_at_keyword in ("media", "supports"):
                inner = rules(tinycss2.parse_rule_list(node.content, skip_comments=True,
                                                       skip_whitespace=True))
                if inner:
                    kept.append(("at", f"@{node.at_keyword}{tinycss2.serialize(node.prelude)}",
                                 inner))
            elif node.type == "at-rule":
                kept.append(("raw", tinycss2.serialize([node]), None))
        return kept

    tree = rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    defined: dict[str, list[str]] = {}
    used = set(page_vars)

    def scan(nodes) -> None:
        for kind, head, body in nodes:
            if kind == "rule":
                for declaration in body:
                    value = tinycss2.serialize(declaration.value)
                    if declaration.name.startswith("--"):
                        defined.setdefault(declaration.name, []).append(value)
                    else:
                        used.update(VAR.findall(value))
            elif kind == "at":
                scan(body)
            else:
                used.update(VAR.findall(head))

    scan(tree)
    pending = list(used)
    while pending:
        for value in defined.get(pending.pop(), []):
            for name in VAR.findall(value):
                if name not in used:
                    used.add(name)
                    pending.append(name)

    def write(nodes) -> list[str]:
        out = []
        for kind, head, body in nodes:
            if kind == "rule":
                kept = [f"{d.name}:{tinycss2.serialize(d.value).strip()}"
                        + ("!important" if d.important else "")
                        for d in body if not d.name.startswith("--") or d.name in used]
                if kept:
                    out.append(f"{head}{{{';'.join(kept)}}}")
            elif kind == "at":
                inner = write(body)
                if inner:
                    out.append(f"{head}{{{''.join(inner)}}}")
            else:
                out.append(head)
        return out

    return "\n".join(write(tree)) + "\n"


@event_priority(-200)  # after mkdocs-static-i18n (-100) has built every language
def on_post_build(config) -> None:
    i18n = config.plugins.get("i18n")
    if (i18n is not None and i18n.building) or \
            os.environ.get("NOTEBOOK_CSS_PRUNE", "").lower() in ("0", "off", "false", "no"):
        return
    site = Path(config.site_dir)
    sheets = sorted((site / "assets" / "notebooks").glob("notebook-*.css"))
    if not sheets:
        return
    classes, page_vars, pages = set(), set(), {}
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "assets/notebooks/notebook-" not in text:
            continue
        pages[page] = text
        for match in CLASS_ATTRIBUTE.finditer(text):
            classes.update(match.group(1).split())
        page_vars.update(VAR.findall(text))
    cache = Path(config.config_file_path).resolve().parent / ".cache" / "notebook-css"
    for sheet in sheets:
        css = sheet.read_text(encoding="utf-8")
        key = hashlib.sha256("\0".join([CACHE_VERSION, css, *sorted(classes),
                                        *sorted(page_vars)]).encode()).hexdigest()
        entry = cache / f"{key}.css"
        try:
            pruned = entry.read_text(encoding="utf-8")
        except OSError:
            pruned = prune_css(css, classes, page_vars)
            cache.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=cache, suffix=".tmp",
                                             delete=False) as handle:
                handle.write(pruned)
            os.replace(handle.name, entry)
            for old in sorted(cache.glob("*.css"), key=lambda p: p.stat().st_mtime)[:-8]:
                old.unlink(missing_ok=True)
        # A new name for new content, so that no browser keeps the old file from its cache.
        name = f"notebook-{hashlib.sha256(pruned.encode()).hexdigest()[:12]}.css"
        (sheet.parent / name).write_text(pruned, encoding="utf-8")
        if name != sheet.name:
            sheet.unlink()
            for page, text in pages.items():
                if sheet.name in text:
                    pages[page] = text = text.replace(f"assets/notebooks/{sheet.name}",
                                                      f"assets/notebooks/{name}")
                    page.write_text(text, encoding="utf-8")
