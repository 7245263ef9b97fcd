"""MkDocs hook: stylesheets without the rules no page of the site can use.

After the last language is built, this hook rewrites two stylesheets under a name made from
their new content (so that no browser keeps the old file), and the pages that link them:

- The notebook pages' stylesheet. nbconvert ships all of JupyterLab's CSS with every notebook
  (overrides/hooks/notebooks.py moves it to one shared file, assets/notebooks/notebook-HASH.css):
  600 kB, of which the static notebook pages use a few percent. Kept: every rule, except the
  selectors naming a JupyterLab class (`jp-`, `lm-`, `p-`, `bp3-`, `CodeMirror`, `cm-`,
  widgets) that appears in no published notebook page (outside `:not()`): the pages are static
  HTML, no script adds those classes, so such a selector matches nothing; and of the custom
  properties (`--jp-...`), those that a kept rule or a page uses. About 35 kB remain.
- Material's palette stylesheet (assets/stylesheets/palette.HASH.min.css), 12 kB on every
  page, of which one primary and one accent colour of the 21 and 16 it defines are used.
  Kept: every rule, except the selectors naming a `data-md-color-primary` or
  `data-md-color-accent` value that no page carries (the body and the palette toggles carry
  every value a reader can switch to).

Results are cached in `.cache/stylesheets/` by the hash of the stylesheet, of what the pages
use and of this code; tinycss2 (a pinned dependency) is imported only on a cache miss.
`CSS_PRUNE=off` keeps both files whole.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from disk_cache import write_entry
from mkdocs.plugins import event_priority

PRUNABLE = re.compile(r"^(jp-|lm-|p-|bp3-|CodeMirror|cm-|widget|jupyter-widget)")
CLASS_IN_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
NEGATION = re.compile(r":not\([^()]*\)", re.IGNORECASE)
CLASS_ATTRIBUTE = re.compile(r"""class=["']([^"']*)["']""")
COLOUR_ATTRIBUTE = re.compile(r"""data-md-color-(primary|accent)=["']?([\w-]+)""")
VAR = re.compile(r"var\(\s*(--[\w-]+)")
CACHE_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # this code


def without_negations(selector: str) -> str:
    """What an element must have for `selector` to match: what is under :not() need not be."""
    while NEGATION.search(selector):
        selector = NEGATION.sub("", selector)
    return selector


def uses_present_classes(classes: set[str]):
    """Selector test for the notebook stylesheet: every JupyterLab class it names is present."""
    def keep(selector: str) -> bool:
        return all(name in classes or not PRUNABLE.match(name)
                   for name in CLASS_IN_SELECTOR.findall(without_negations(selector)))
    return keep


def uses_present_colours(colours: set[tuple[str, str]]):
    """Selector test for the palette: every primary or accent colour it names is carried."""
    def keep(selector: str) -> bool:
        return all(found in colours
                   for found in COLOUR_ATTRIBUTE.findall(without_negations(selector)))
    return keep


def prune_css(css: str, keep, page_vars: set[str] | None = None) -> str:
    """The stylesheet without the selectors `keep` rejects; with `page_vars` (the custom
    properties the pages use), also without the custom properties nothing uses."""
    import tinycss2

    def split_selectors(prelude) -> list[str]:
        """At the list's own commas only, not those inside :not(...) or :is(...)."""
        parts, current = [], []
        for token in prelude:
            if token.type == "literal" and token.value == ",":
                parts.append(current)
                current = []
            elif token.type != "comment":  # nbconvert's section comments sit in selectors
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
    used = set(page_vars or ())

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
                        for d in body
                        if page_vars is None or not d.name.startswith("--") or d.name in used]
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


def pruned_cached(cache: Path, css: str, keep, key_parts: list[str], page_vars=None) -> str:
    key = hashlib.sha256("\0".join([CACHE_VERSION, css, *key_parts]).encode()).hexdigest()
    entry = cache / f"{key}.css"
    try:
        return entry.read_text(encoding="utf-8")
    except OSError:
        pass
    pruned = prune_css(css, keep, page_vars)
    write_entry(entry, pruned, keep=16)
    return pruned


def replace_sheet(sheet: Path, pruned: str, name: str, pages: dict[Path, str]) -> None:
    """Write `pruned` as `name` beside `sheet`, remove `sheet`, and relink the pages."""
    (sheet.parent / name).write_text(pruned, encoding="utf-8")
    if name == sheet.name:
        return
    sheet.unlink()
    for page, text in pages.items():
        if sheet.name in text:
            pages[page] = text = text.replace(f"/{sheet.name}", f"/{name}")
            page.write_text(text, encoding="utf-8")


@event_priority(-200)  # after mkdocs-static-i18n (-100) has built every language
def on_post_build(config) -> None:
    i18n = config.plugins.get("i18n")
    if (i18n is not None and i18n.building) or \
            os.environ.get("CSS_PRUNE", "").lower() in ("0", "off", "false", "no"):
        return
    site = Path(config.site_dir)
    cache = Path(config.config_file_path).resolve().parent / ".cache" / "stylesheets"
    pages = {page: page.read_text(encoding="utf-8") for page in sorted(site.rglob("*.html"))}

    colours = {found for text in pages.values() for found in COLOUR_ATTRIBUTE.findall(text)}
    for sheet in sorted((site / "assets" / "stylesheets").glob("palette.*.min.css")):
        css = sheet.read_text(encoding="utf-8")
        pruned = pruned_cached(cache, css, uses_present_colours(colours),
                               sorted(f"{kind}={value}" for kind, value in colours))
        digest = hashlib.sha256(pruned.encode()).hexdigest()[:8]
        replace_sheet(sheet, pruned, f"palette.{digest}.min.css", pages)

    notebook_pages = {page: text for page, text in pages.items()
                      if "assets/notebooks/notebook-" in text}
    classes, page_vars = set(), set()
    for text in notebook_pages.values():
        for match in CLASS_ATTRIBUTE.finditer(text):
            classes.update(match.group(1).split())
        page_vars.update(VAR.findall(text))
    for sheet in sorted((site / "assets" / "notebooks").glob("notebook-*.css")):
        css = sheet.read_text(encoding="utf-8")
        pruned = pruned_cached(cache, css, uses_present_classes(classes),
                               [*sorted(classes), "--", *sorted(page_vars)], page_vars)
        name = f"notebook-{hashlib.sha256(pruned.encode()).hexdigest()[:12]}.css"
        replace_sheet(sheet, pruned, name, notebook_pages)
