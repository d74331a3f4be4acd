"""A small, safe JavaScript minifier: drops comments and the whitespace the parser does not need.

It tokenizes (strings, regular expressions, comments, words, punctuators) and never renames or
rewrites anything, so the minified script runs the same code. A line break is kept where the
source had one and it could matter (automatic semicolon insertion, `return` and postfix `++`
rules): after a token that can end a statement and before one that can start a statement.
Template literals are refused rather than guessed at (the engine does not use them).
"""

from __future__ import annotations

import re

from ..errors import ArtgenError


class MinifyError(ArtgenError):
    """JavaScript this minifier will not touch (an unterminated token, a template literal)."""


_WORD = re.compile(r"[A-Za-z0-9_$\\\u0080-\uffff]")
_IDENT = re.compile(
    r"(?:[A-Za-z_$\u0080-\uffff]|\\u[0-9a-fA-F]{4})(?:[\w$\u0080-\uffff]|\\u[0-9a-fA-F]{4})*"
)
_NUMBER = re.compile(
    r"0[xX][0-9a-fA-F_]+n?|0[oO][0-7_]+n?|0[bB][01_]+n?|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?n?"
)
_PUNCTUATORS = sorted(
    """>>>= ... === !== **= <<= >>= >>> &&= ||= ??= => == != <= >= && || ?? ?. ++ -- += -= *= /=
    %= &= |= ^= << >> ** { } ( ) [ ] ; , < > + - * / % & | ^ ! ~ ? : = . @ #""".split(),
    key=len,
    reverse=True,
)
#: Words after which a `/` starts a regular expression rather than a division.
_REGEX_AFTER_WORDS = frozenset(
    "return typeof instanceof in of new delete void throw case do else yield await".split()
)
#: Restricted productions: no line break may follow these words.
_RESTRICTED = frozenset("return throw break continue yield async".split())


def _scan_string(src: str, i: int) -> int:
    quote, i = src[i], i + 1
    while i < len(src):
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if c == quote:
            return i + 1
        if c == "\n":
            break
        i += 1
    raise MinifyError(f"unterminated string at offset {i}", source="engine.js")


def _scan_regex(src: str, i: int) -> int:
    i, in_class = i + 1, False
    while i < len(src):
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if c == "\n":
            break
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        elif c == "/" and not in_class:
            i += 1
            while i < len(src) and (src[i].isalnum() or src[i] in "_$"):
                i += 1
            return i
        i += 1
    raise MinifyError(f"unterminated regular expression at offset {i}", source="engine.js")


def _regex_allowed(prev: tuple[str, str] | None) -> bool:
    """Whether a `/` after the token `prev` starts a regular expression."""
    if prev is None:
        return True
    kind, text = prev
    if kind == "word":
        return text in _REGEX_AFTER_WORDS
    if kind in ("string", "regex", "number"):
        return False
    return text not in (")", "]", "}", "++", "--")


def tokens(src: str) -> list[tuple[str, str, bool]]:
    """(kind, text, newline before) of every significant token; kinds: word, number, string,
    regex, punct."""
    out: list[tuple[str, str, bool]] = []
    i, newline, prev = 0, False, None
    while i < len(src):
        c = src[i]
        if c in " \t\r\n\f\v\ufeff\u00a0\u2028\u2029":
            newline = newline or c in "\n\r\u2028\u2029"
            i += 1
            continue
        if src.startswith("//", i):
            end = src.find("\n", i)
            i = len(src) if end < 0 else end
            continue
        if src.startswith("/*", i):
            end = src.find("*/", i + 2)
            if end < 0:
                raise MinifyError(f"unterminated comment at offset {i}", source="engine.js")
            newline = newline or "\n" in src[i:end]
            i = end + 2
            continue
        if c == "`":
            raise MinifyError(f"template literal at offset {i}: not supported", source="engine.js")
        if c in "'\"":
            end, kind = _scan_string(src, i), "string"
        elif c == "/" and _regex_allowed(prev):
            end, kind = _scan_regex(src, i), "regex"
        elif (m := _NUMBER.match(src, i)) and (
            c.isdigit() or (c == "." and src[i + 1 : i + 2].isdigit())
        ):
            end, kind = m.end(), "number"
        elif m := _IDENT.match(src, i):
            end, kind = m.end(), "word"
        else:
            punct = next((p for p in _PUNCTUATORS if src.startswith(p, i)), None)
            if punct is None:
                raise MinifyError(f"unexpected character {c!r} at offset {i}", source="engine.js")
            end, kind = i + len(punct), "punct"
        prev = (kind, src[i:end])
        out.append((kind, src[i:end], newline))
        i, newline = end, False
    return out


def _can_end(kind: str, text: str) -> bool:
    return kind in ("word", "number", "string", "regex") or text in (")", "]", "}", "++", "--")


def _can_start(kind: str, text: str) -> bool:
    return kind != "punct" or text in (
        "(",
        "[",
        "{",
        "+",
        "-",
        "++",
        "--",
        "!",
        "~",
        "/",
        "/=",
        "@",
        "#",
    )


def _needs_space(prev: tuple[str, str], kind: str, text: str) -> bool:
    pkind, ptext = prev
    if _WORD.match(ptext[-1]) and _WORD.match(text[0]) and pkind != "string" and kind != "string":
        return True
    if pkind == "number" and text.startswith("."):
        return True
    pairs = (("+", "+"), ("-", "-"), ("/", "/"), ("/", "*"), ("<", "!"), ("-", ">"))
    return any(ptext.endswith(a) and text.startswith(b) for a, b in pairs)


def minify(src: str) -> str:
    """`src` without comments and with only the whitespace its meaning needs."""
    out: list[str] = []
    prev: tuple[str, str] | None = None
    for kind, text, newline in tokens(src):
        if prev is not None:
            pkind, ptext = prev
            keep_line = newline and (
                (pkind == "word" and ptext in _RESTRICTED)
                or (_can_end(pkind, ptext) and _can_start(kind, text))
                or text in ("++", "--", "=>")
            )
            if keep_line:
                out.append("\n")
            elif _needs_space(prev, kind, text):
                out.append(" ")
        out.append(text)
        prev = (kind, text)
    return "".join(out)
