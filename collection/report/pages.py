"""The site's HTML pages: one shell for all of them, the collection page (its summary written
here, its grid drawn by assets/collection.js), the token page (assets/token.js fills it for
the token its URL names) and live.html (a token's art drawn by the engine from disk).

No page loads anything from outside the site: styles, scripts and data are files beside it.
"""

from __future__ import annotations

from .charts import e

ASSETS = "assets"
#: An empty icon, so that no browser asks the server for /favicon.ico.
NO_ICON = '<link rel="icon" href="data:,">'
THEME = "a light or dark palette (the system's by default)"


def page(
    title: str, current: str, body: str, scripts: tuple[str, ...] = (), brand: str = ""
) -> str:
    """A page of the site: navigation, `body`, then the data and the scripts it needs."""
    links = "".join(
        f'<a href="{href}"{" aria-current=page" if name == current else ""}>{label}</a>'
        for name, href, label in (("collection", "index.html", "Collection"),
                                  ("audit", "audit.html", "Audit"))
    )  # fmt: skip
    sources = ("data/collection.js", *(f"{ASSETS}/{s}" for s in ("common.js", *scripts)))
    tags = "".join(f'<script src="{src}"></script>' for src in sources)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{e(title)}</title><link rel="stylesheet" href="{ASSETS}/site.css">'
        f"{NO_ICON}</head>"
        f'<body data-page="{current}"><nav class="top"><span class="brand">{e(brand)}</span>'
        f'{links}<button type="button" id="theme" title="{THEME}">Theme</button></nav>'
        f'<main id="main">{body}</main>{tags}</body></html>\n'
    )


def _sats(n: int) -> str:
    return f"{n:,} sats ({n / 1e8:.8f} BTC)"


def _cost(cost: dict | None) -> str:
    if cost is None:
        return "<dt>Inscriptions</dt><dd>no ord batches (ord/batches.json): not minted here</dd>"
    kinds = cost["kinds"]
    total = sum(k["bytes"] for k in kinds.values())
    parts = ", ".join(f"{k['count']:,} {e(n)} ({k['bytes']:,} bytes)" for n, k in kinds.items())
    batches = cost["batches"]
    state = ", ".join(f"{n} {s}" for s, n in batches.items() if n)
    return (
        f"<dt>Inscription bytes</dt><dd>{total:,} bytes: {parts or 'none'}</dd>"
        f"<dt>Left to inscribe</dt><dd>{cost['inscriptions']:,} inscriptions, "
        f"{cost['vbytes']:,} vB, about {_sats(cost['total_sats'])} at {cost['fee_rate']:g} "
        f"sat/vB with {cost['postage']:,} sats postage each</dd>"
        f"<dt>Batches</dt><dd>{state or 'none'}; {cost['inscribed']:,} inscribed</dd>"
    )


def _flags(s: dict) -> str:
    flagged = s["flagged"]
    traits = (
        f'<span class="badge flagged">{len(flagged)} flagged</span> '
        f'<a href="audit.html#traits">{e(", ".join(flagged))}</a>'
        if flagged
        else '<span class="badge ok">ok</span> no trait flagged'
    )
    dup = s["identical_trait_sets"] + s["near_identical_pairs"]
    dups = (
        f'<a href="audit.html#duplicates">{s["identical_trait_sets"]} identical trait sets, '
        f"{s['near_identical_pairs']} near-identical portrait pairs</a>"
        if dup
        else "no duplicates"
    )
    problems = "".join(f'<li class="problem">{e(p)}</li>' for p in s["problems"])
    return (
        f"<dt>Audit</dt><dd>{traits}; {dups}; {s['flagged_tokens']:,} tokens flagged"
        f"{'<ul>' + problems + '</ul>' if problems else ''}</dd>"
    )


def collection_page(data: dict) -> str:
    """index.html: the summary, then the grid's controls and the grid (filled by its script)."""
    s = data["summary"]
    m = s["moment"]
    height = f"block {m['height']:,}, " if m["height"] else ""
    upgraded = f"; {s['upgraded_tokens']:,} upgraded" if s["upgraded_tokens"] else ""
    body = (
        f'<header class="intro"><h1>{e(s["name"])}</h1><p class="meta">{e(s["description"])}</p>'
        '</header><section id="summary" aria-label="summary"><dl class="facts">'
        f"<dt>Size</dt><dd>{s['tokens']:,} tokens of {s['size']:,}{upgraded}</dd>"
        f"<dt>Seed</dt><dd><code>{e(s['seed'])}</code>; {e(s['rarity'])} rarity</dd>"
        f'<dt>Config hash</dt><dd><code title="{e(s["config_hash"])}">'
        f"{e(s['config_hash'][:16])}</code>; engine {e(s['engine_version'])}</dd>"
        f"<dt>Moment</dt><dd>{height}{e(m['iso'])}, {m['fee_rate']:g} sat/vB</dd>"
        f"{_cost(s['cost'])}{_flags(s)}</dl></section>"
        '<section id="tokens" aria-label="tokens"><form id="controls" class="controls">'
        '</form><p id="count" class="count" aria-live="polite"></p>'
        '<div id="grid" class="grid" role="listbox" tabindex="0" aria-label="tokens"></div>'
        '<p class="help">Arrow keys move, Enter opens, / searches, Home and End jump.</p>'
        "</section>"
    )
    return page(s["name"], "collection", body, ("collection.js",), brand=s["name"])


def token_page(name: str) -> str:
    """token.html: one page for every token; token.js reads the token from the URL."""
    body = (
        '<article id="token" class="token-page" aria-live="polite">'
        '<p class="note">Loading the token named in the address (token.html#t=N)...</p></article>'
    )
    return page(f"{name}: token", "token", body, ("engine.js", "token.js"), brand=name)


def live_page() -> str:
    """live.html: a token's live art from disk (live.js reads its traits from the URL)."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<title>Live art</title>{NO_ICON}</head><body><script src="{ASSETS}/live.js"></script>'
        "</body></html>\n"
    )
