"""pytest plugin proving the site's code examples.

Flow: page -> blocks -> sessions -> runners -> verdicts (see README.md)."""
