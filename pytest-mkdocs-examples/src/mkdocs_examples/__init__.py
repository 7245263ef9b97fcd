"""pytest-mkdocs-examples: every code example of a MkDocs (Material) site, collected from its
pages and proven. Flow: page -> blocks -> sessions -> runners -> verdicts (see README.md)."""
