"""pytest plugin proving the site's code examples: page -> blocks -> sessions -> runners -> verdicts."""
