"""The site's cache: work kept between writes of the same site (curves, thumbnail sheets).

A hidden JSON file in the site folder (`.site-cache`: one dot, so nothing takes it for an
atomic write's temporary file); what one write does not use is dropped, so the cache holds
only the current collection's entries. A missing or unreadable cache is an empty one: it only
ever saves time, never changes what the site shows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from artgen import jsontext, limits
from artgen.atomic import write_text
from artgen.errors import ArtgenError

CACHE_FILE = ".site-cache"
VERSION = 1


class SiteCache:
    """Entries by section and key, loaded from and saved to `<site>/.site-cache`."""

    def __init__(self, folder: Path):
        self.path = folder / CACHE_FILE
        self.old: dict[str, dict[str, Any]] = {}
        self.new: dict[str, dict[str, Any]] = {}
        try:
            doc = jsontext.read_json(self.path, limits.RECORD_BYTES, ArtgenError)
            if isinstance(doc, dict) and doc.get("version") == VERSION:
                self.old = {k: v for k, v in doc.items() if isinstance(v, dict)}
        except ArtgenError:
            pass  # no cache, or a damaged one: the site is written anew

    def get(self, section: str, key: str) -> Any:
        """The kept value, or None; a value read is kept for the next write too."""
        value = self.old.get(section, {}).get(key)
        if value is not None:
            self.put(section, key, value)
        return value

    def put(self, section: str, key: str, value: Any) -> None:
        self.new.setdefault(section, {})[key] = value

    def save(self) -> None:
        """Write the entries used, by key (so threads that put them in any order write the
        same file); the values stay as they are, their key order included."""
        sections = {
            name: dict(sorted(entries.items())) for name, entries in sorted(self.new.items())
        }
        write_text(self.path, json.dumps({"version": VERSION, **sections}))
