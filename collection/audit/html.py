"""The audit report as one self-contained HTML page.

Inline CSS, inline SVG charts and thumbnails as data: URIs: no external resource and no
JavaScript, so the page reads offline. Every string from the collection is escaped.
"""

from __future__ import annotations

import math
from html import escape

from artgen.wording import counted

from .result import Audit, token_row
from .stats import CORRECTIONS

_CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --paper: #ffffff;
  --target: #c9d1d9; --observed: #0969da; --flag: #cf222e; --ok: #1a7f37; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 980px; padding: 24px; font: 15px/1.45 system-ui, sans-serif;
  color: var(--ink); background: var(--paper); }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 32px 0 8px;
  border-bottom: 1px solid var(--line); padding-bottom: 4px; } h3 { font-size: 16px; margin: 0; }
.meta, .note { color: var(--muted); font-size: 13px; }
.badge { display: inline-block; font-size: 12px; padding: 1px 8px; border-radius: 10px;
  color: #fff; background: var(--ok); vertical-align: 2px; margin-left: 6px; }
.flagged .badge, .badge.flag { background: var(--flag); }
.trait { border: 1px solid var(--line); border-radius: 6px; padding: 12px; margin: 12px 0; }
.trait.flagged { border-color: var(--flag); }
svg { display: block; max-width: 100%; height: auto; }
svg text { font: 11px system-ui, sans-serif; fill: var(--ink); }
table { border-collapse: collapse; font-size: 12px; margin-top: 6px; }
th, td { border-bottom: 1px solid var(--line); padding: 2px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; }
figure.token { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
figure.token img, .noimg { width: 128px; height: 128px; display: block; margin: 0 auto 6px;
  image-rendering: auto; }
.noimg { display: flex; align-items: center; justify-content: center; color: var(--muted);
  background: #f6f8fa; font-size: 12px; text-align: center; }
figcaption { font-size: 12px; } figcaption b { font-size: 14px; }
dl.traits { display: grid; grid-template-columns: auto 1fr; gap: 0 6px; margin: 4px 0 0;
  font-size: 11px; color: var(--muted); } dl.traits dd { margin: 0; color: var(--ink); }
ul.summary li { margin: 2px 0; }
"""


def e(value: object) -> str:
    """Escape any value for HTML text or attributes."""
    return escape(str(value), quote=True)


def _num(x: float | None, digits: int = 4) -> str:
    return "n/a" if x is None else f"{x:.{digits}g}"


def _off(v: dict, exact: bool) -> bool:
    """A value worth marking: outside the table, off its quota, or beyond two Poisson sigmas."""
    if v["expected"] == 0:
        return v["observed"] > 0
    return v["deviation"] != 0 if exact else abs(v["deviation"]) > 2 * math.sqrt(v["expected"])


def trait_chart(trait: dict, exact: bool = False) -> str:
    """Horizontal bars per value: target (expected, grey) behind observed (blue)."""
    values = trait["values"]
    label_w, bar_w, num_w, row_h, top = 150, 430, 130, 18, 22
    scale = max([1.0] + [max(v["expected"], v["observed"]) for v in values])
    height = top + row_h * len(values) + 6
    width = label_w + bar_w + num_w
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{e(trait["name"])}: target against observed">',
        f"<title>{e(trait['name'])}: target against observed counts</title>",
        f'<rect x="{label_w}" y="4" width="12" height="10" fill="var(--target)"/>'
        f'<text x="{label_w + 16}" y="13">target (expected)</text>'
        f'<rect x="{label_w + 130}" y="6" width="12" height="6" fill="var(--observed)"/>'
        f'<text x="{label_w + 146}" y="13">observed</text>',
    ]
    for i, v in enumerate(values):
        y = top + i * row_h
        target = bar_w * v["expected"] / scale
        observed = bar_w * v["observed"] / scale
        color = "var(--flag)" if trait["flagged"] and _off(v, exact) else "var(--observed)"
        parts.append(
            f'<g class="bar" data-value="{e(v["value"])}">'
            f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{e(v["value"])}</text>'
            f'<rect x="{label_w}" y="{y + 2}" width="{target:.2f}" height="13" '
            'fill="var(--target)"/>'
            f'<rect x="{label_w}" y="{y + 5.5}" width="{observed:.2f}" height="6" fill="{color}"/>'
            f'<text x="{label_w + bar_w + 6}" y="{y + 12}">'
            f"{v['observed']} / {v['expected']:.4g}</text>"
            "</g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def histogram_chart(hist: dict) -> str:
    """Vertical bars: how many tokens fall in each band of information-content score."""
    counts, edges = hist["counts"], hist["edges"]
    if not counts:
        return '<p class="note">No tokens.</p>'
    width, height, left, bottom = 720, 220, 40, 30
    plot_w, plot_h = width - left - 10, height - bottom - 10
    peak = max(counts) or 1
    bar = plot_w / len(counts)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="rarity distribution">',
        "<title>Tokens per band of information-content score</title>",
        f'<line x1="{left}" y1="{10 + plot_h}" x2="{width - 10}" y2="{10 + plot_h}" '
        'stroke="var(--line)"/>',
    ]
    for i, c in enumerate(counts):
        h = plot_h * c / peak
        parts.append(
            f'<rect x="{left + i * bar + 1:.2f}" y="{10 + plot_h - h:.2f}" width="{bar - 2:.2f}" '
            f'height="{h:.2f}" fill="var(--observed)"><title>{edges[i]:.4g} to {edges[i + 1]:.4g}: '
            f"{counted(c, 'token')}</title></rect>"
        )
    parts += [
        f'<text x="{left - 4}" y="18" text-anchor="end">{peak}</text>',
        f'<text x="{left - 4}" y="{10 + plot_h}" text-anchor="end">0</text>',
        f'<text x="{left}" y="{height - 8}">{edges[0]:.4g}</text>',
        f'<text x="{width - 10}" y="{height - 8}" text-anchor="end">{edges[-1]:.4g}</text>',
        f'<text x="{left + plot_w / 2}" y="{height - 8}" text-anchor="middle">'
        "information-content score (higher is rarer)</text>",
        "</svg>",
    ]
    return "".join(parts)


def _test_note(t: dict) -> str:
    if t["chi2"] is None:
        return ""
    p = "" if "p =" in t["reason"] else f", p = {_num(t['p_value'], 3)}"
    return f" (chi-square {_num(t['chi2'])}, {t['dof']} degrees of freedom{p})"


def _trait_section(t: dict, exact: bool) -> str:
    rows = "".join(
        f"<tr><td>{e(v['value'])}</td><td>{v['weight']:.4f}</td><td>{v['expected']:.4g}</td>"
        f"<td>{v['observed']}</td><td>{v['deviation']:+.4g}</td><td>{v['deviation_pp']:+.3f}</td></tr>"
        for v in t["values"]
    )
    state = "flagged" if t["flagged"] else "ok"
    return (
        f'<article class="trait{" flagged" if t["flagged"] else ""}" data-trait="{e(t["name"])}">'
        f'<h3>{e(t["name"])}<span class="badge">{state}</span></h3>'
        f'<p class="note">{e(t["reason"])}{_test_note(t)}</p>'
        f"{trait_chart(t, exact)}"
        "<details><summary>Counts</summary><table><tr><th>value</th><th>weight</th>"
        "<th>expected</th><th>observed</th><th>deviation</th><th>pp of tokens</th></tr>"
        f"{rows}</table></details></article>"
    )


def _unique(count: int) -> str:
    """A note for tokens that OpenRarity ranks first for values no other token has."""
    if not count:
        return ""
    return f"{count} trait value{'s' if count > 1 else ''} no other token has<br>"


def _card(row: dict, thumbnails: dict[int, str]) -> str:
    token = row["token"]
    thumbnail = thumbnails.get(token)
    image = (
        f'<img src="{e(thumbnail)}" alt="Token {token}" width="128" height="128">'
        if thumbnail
        else '<div class="noimg">no still<br>(sampler audit)</div>'
    )
    traits = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in row["traits"].items())
    return (
        f'<figure class="token" data-token="{token}">{image}<figcaption><b>#{token}</b><br>'
        f"information rank {row['information_rank']} (score {row['information']:.4f})<br>"
        f"{_unique(row['unique_traits'])}"
        f"rarity.tools rank {row['rarity_tools_rank']} (score {row['rarity_tools']:.4g})"
        f'<dl class="traits">{traits}</dl></figcaption></figure>'
    )


def render_html(result: Audit, data: dict, thumbnails: dict[int, str]) -> str:
    """The report page for an audit and its JSON data (`report.report_json`)."""
    s = data["summary"]
    table = data["tokens"]
    title = f"Rarity audit: {s['collection']}"
    origin = "the sampler" if s["origin"] == "sampler" else s["origin"]
    flagged = s["flagged"]
    d = s["largest_deviation"]
    basis = CORRECTIONS[s["correction"]]
    items = [
        (
            f'<li><span class="badge flag">{len(flagged)} flagged</span> '
            f"{e(', '.join(flagged))}{basis}</li>"
            if flagged
            else f'<li><span class="badge">ok</span> no trait flagged{basis}</li>'
        ),
        f"<li>Largest deviation: {e(d['trait'])} {e(d['value'])}: "
        f"{counted(d['observed'], 'token')}, expected {d['expected']:.4g} "
        f"({d['deviation_pp']:+.3f} percentage points)</li>"
        if d
        else "",
        f"<li>Rank agreement (Spearman, information content against rarity.tools): "
        f"{_num(s['spearman'])}</li>",
        f"<li>Duplicates: {s['identical_trait_sets']} identical trait sets, "
        f"{s['near_identical_pairs']} near-identical portrait pairs</li>",
        *(f"<li>Problem: {e(p)}</li>" for p in s["problems"]),
    ]
    rarity = data["rarity"]
    rarest = "".join(_card(token_row(table, i), thumbnails) for i in result.rarest())
    common = "".join(_card(token_row(table, i), thumbnails) for i in result.most_common())
    dup = data["duplicates"]
    identical = "".join(
        f"<li>{e(', '.join(map(str, g)))}</li>" for g in dup["identical_trait_sets"]
    )
    near = "".join(
        f"<li>{p['a']} and {p['b']}: distance {p['distance']}</li>"
        for p in dup["near_identical_portraits"]
    )
    method = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in data["method"].items())
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>"
        f'<header><h1>{e(title)}</h1><p class="meta">{counted(s["tokens"], "token")} '
        f"from {e(origin)}; "
        f"{e(s['rarity'])} mode; seed {e(s['seed'])}; size {s['size']}; config hash "
        f"<code>{e(s['config_hash'][:16])}</code></p></header>"
        f'<section id="summary"><h2>Summary</h2><ul class="summary">{"".join(items)}</ul></section>'
        '<section id="traits"><h2>Traits: target against observed</h2>'
        f"{''.join(_trait_section(t, s['rarity'] == 'exact') for t in data['traits'])}</section>"
        '<section id="rarity"><h2>Rarity distribution</h2>'
        f"{histogram_chart(rarity['histogram'])}"
        f'<p class="note">Collection entropy {_num(rarity["entropy"])} bits. Rank 1 is the rarest; '
        f"{e(data['method']['tie_rule'])}.</p></section>"
        f'<section id="rarest"><h2>The {len(result.rarest())} rarest tokens</h2>'
        f'<div class="cards">{rarest}</div></section>'
        f'<section id="common"><h2>The {len(result.most_common())} most common tokens</h2>'
        f'<div class="cards">{common}</div></section>'
        '<section id="duplicates"><h2>Duplicates</h2>'
        f"<h3>Identical trait sets</h3><ul>{identical or '<li>none</li>'}</ul>"
        f"<h3>Near-identical portraits (pHash distance at most {dup['phash_distance']}, "
        f"{dup['stills_hashed']} stills hashed)</h3><ul>{near or '<li>none</li>'}</ul></section>"
        f'<section id="method"><h2>Method</h2><dl class="traits">{method}</dl></section>'
        "</body></html>\n"
    )
