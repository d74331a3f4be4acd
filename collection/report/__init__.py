"""The collection report: a static, self-contained site to explore and check a collection.

`write_site(audit, out, root)` writes it from an audit (`collection.audit`): a collection
page with a grid of every token that sorts, filters and keeps its state in the address; a
page per token (its still and live art, traits and rarity, life, brain and inscriptions);
the rarity audit. It reads the same from disk (file://) and through `artgen serve`, and loads
nothing from outside its folder and the collection's.
"""

from .source import ReportError
from .write import Site, write_site

__all__ = ["ReportError", "Site", "write_site"]
