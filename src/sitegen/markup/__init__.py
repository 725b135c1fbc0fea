"""Markdown -> HTML, and rewriting the links of HTML."""
