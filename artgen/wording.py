"""How messages word a count: "1 token", "2 tokens", "1 batch", "3 batches"."""

from __future__ import annotations

#: Nouns whose plural is not the singular plus "s" (units stay as they are).
IRREGULAR = {"batch": "batches", "class": "classes", "entry": "entries", "px": "px", "fps": "fps"}


def plural(noun: str, count: int | float) -> str:
    """`noun` in the number `count` asks for (1 is singular; 0, 2 and 1.5 are plural); in a
    phrase ("ord batch", "near-identical portrait pair") the last word takes the number."""
    if count == 1:
        return noun
    head, space, last = noun.rpartition(" ")
    return head + space + IRREGULAR.get(last, last + "s")


def counted(count: int | float, noun: str, *, digits: bool = False) -> str:
    """ "1 token", "12 tokens"; with `digits`, thousands grouped ("1,024 bytes")."""
    number = f"{count:,}" if digits else f"{count}"
    return f"{number} {plural(noun, count)}"
