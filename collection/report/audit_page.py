"""audit.html: the rarity audit as a page of the site.

Per trait, target against observed with an honest state (flagged, ok, or not tested when the
collection is too small for a chi-square test); the rarity distribution; how far the two rank
methods agree; the rarest and the most common tokens (each shown once); duplicates; the method.
The charts are static SVG; the thumbnails are filled in by the site's scripts.
"""

from __future__ import annotations

from ..audit import CORRECTIONS, Audit
from .charts import e, histogram_chart, rank_chart, trait_chart
from .pages import page

STATES = ("flagged", "ok", "not tested")
LISTED = 200  # duplicates listed on the page at most; report.json has them all


def _more(count: int, what: str) -> str:
    if count <= LISTED:
        return ""
    return (
        f'<li class="note">... and {count - LISTED:,} more {what}: all of them are in '
        '<a href="report.json">report.json</a> (duplicates)</li>'
    )


def _num(x: float | None, digits: int = 4) -> str:
    return "n/a" if x is None else f"{x:.{digits}g}"


def _test_note(t: dict) -> str:
    if t["chi2"] is None:
        return ""
    p = "" if "p =" in t["reason"] else f", p = {_num(t['p_value'], 3)}"
    return f" (chi-square {_num(t['chi2'])}, {t['dof']} degrees of freedom{p})"


def _trait_section(t: dict, state: str, exact: bool) -> str:
    rows = "".join(
        f"<tr><td>{e(v['value'])}</td><td>{v['weight']:.4f}</td><td>{v['expected']:.4g}</td>"
        f"<td>{v['observed']}</td><td>{v['deviation']:+.4g}</td><td>{v['deviation_pp']:+.3f}</td></tr>"
        for v in t["values"]
    )
    slug = state.replace(" ", "-")
    return (
        f'<article class="trait {slug}" data-trait="{e(t["name"])}" data-state="{e(state)}">'
        f'<h3>{e(t["name"])}<span class="badge {slug}">{e(state)}</span></h3>'
        f'<p class="note">{e(t["reason"])}{_test_note(t)}</p>'
        f'<div class="chart">{trait_chart(t, exact)}</div>'
        '<details><summary>Counts</summary><div class="scroll"><table><tr><th>value</th>'
        "<th>weight</th><th>expected</th><th>observed</th><th>deviation</th><th>pp of tokens</th>"
        f"</tr>{rows}</table></div></details></article>"
    )


def _card(result: Audit, i: int) -> str:
    token = int(result.input.tokens[i])
    s = result.scores
    unique = int(s.unique_traits[i])
    note = f"<br>{unique} value{'s' if unique > 1 else ''} no other token has" if unique else ""
    return (
        f'<a class="card" href="token.html#t={token}" data-token="{token}">'
        f'<span class="thumb" data-i="{i}"></span><span class="caption"><b>#{token}</b><br>'
        f"information rank {int(s.information_rank[i])} (score {s.information[i]:.4f}){note}<br>"
        f"rarity.tools rank {int(s.rarity_tools_rank[i])} (score {s.rarity_tools[i]:.4g})"
        "</span></a>"
    )


def _token_link(token: int) -> str:
    return f'<a href="token.html#t={token}">#{token}</a>'


def _top_overlap(result: Audit, count: int = 10) -> tuple[int, int]:
    """How many of the `count` rarest by information content are among the `count` rarest by
    rarity.tools (ranks at most `count`, ties included)."""
    s = result.scores
    info = set((s.information_rank <= count).nonzero()[0].tolist())
    tools = set((s.rarity_tools_rank <= count).nonzero()[0].tolist())
    return len(info & tools), len(info)


def _summary_items(s: dict, basis: str) -> str:
    flagged, d = s["flagged"], s["largest_deviation"]
    items = [
        f'<li><span class="badge flagged">{len(flagged)} flagged</span> '
        f"{e(', '.join(flagged))}{basis}</li>"
        if flagged
        else f'<li><span class="badge ok">ok</span> no trait flagged{basis}</li>',
        f"<li>Largest deviation: {e(d['trait'])} {e(d['value'])}: {d['observed']} tokens, "
        f"expected {d['expected']:.4g} ({d['deviation_pp']:+.3f} percentage points)</li>"
        if d
        else "",
        f"<li>Rank agreement (Spearman, information content against rarity.tools): "
        f"{_num(s['spearman'])}</li>",
        f"<li>Duplicates: {s['identical_trait_sets']} identical trait sets, "
        f"{s['near_identical_pairs']} near-identical portrait pairs</li>",
        *(f'<li class="problem">Problem: {e(p)}</li>' for p in s["problems"]),
    ]
    return "".join(items)


def audit_page(result: Audit, data: dict) -> str:
    """The audit page for an audit and its report data (`collection.audit.report.report_json`)."""
    s = data["summary"]
    name = s["collection"]
    origin = "the sampler" if s["origin"] == "sampler" else f"the collection at {s['origin']}"
    exact = s["rarity"] == "exact"
    stats = {t.name: t for t in result.traits}
    traits = "".join(_trait_section(t, stats[t["name"]].state, exact) for t in data["traits"])
    states = [stats[t["name"]].state for t in data["traits"]]
    counts = ", ".join(f"{states.count(k)} {k}" for k in STATES if states.count(k))
    rarity = data["rarity"]
    rarest = "".join(_card(result, i) for i in result.rarest())
    common = "".join(_card(result, i) for i in result.most_common())
    dup = data["duplicates"]
    sets, pairs = dup["identical_trait_sets"], dup["near_identical_portraits"]
    identical = "".join(
        f"<li>{' '.join(_token_link(t) for t in g)}</li>" for g in sets[:LISTED]
    ) + _more(len(sets), "identical trait sets")
    index = {int(t): i for i, t in enumerate(result.input.tokens.tolist())}
    near = "".join(
        f'<li class="pair"><span class="thumb" data-i="{index[p["a"]]}"></span>'
        f'<span class="thumb" data-i="{index[p["b"]]}"></span>'
        f"{_token_link(p['a'])} and {_token_link(p['b'])}: distance {p['distance']}</li>"
        for p in pairs[:LISTED]
    ) + _more(len(pairs), "near-identical pairs")
    both, top = _top_overlap(result)
    table = data["tokens"]
    ranks = rank_chart(table["information_rank"], table["rarity_tools_rank"])
    method = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in data["method"].items())
    body = (
        f'<header class="intro"><h1>Rarity audit: {e(name)}</h1><p class="meta">{s["tokens"]} '
        f"tokens from {e(origin)}; {e(s['rarity'])} mode; seed {e(s['seed'])}; size {s['size']};"
        f" config hash <code>{e(s['config_hash'][:16])}</code></p></header>"
        f'<section id="summary"><h2>Summary</h2><ul class="summary">'
        f"{_summary_items(s, CORRECTIONS[s['correction']])}</ul></section>"
        f'<section id="traits"><h2>Traits: target against observed</h2><p class="note">{counts}. '
        "A trait is <em>not tested</em> when the collection is too small for a chi-square test "
        "(fewer than two bins of five expected tokens): no verdict either way.</p>"
        f"{traits}</section>"
        '<section id="ranks"><h2>Rank agreement</h2>'
        f'<p class="note">Spearman {_num(rarity["spearman"])} between the information-content '
        f"and rarity.tools rankings; of the {top} tokens ranked 10 or rarer by information "
        f"content, {both} are ranked 10 or rarer by rarity.tools too.</p>"
        f'<div class="chart">{ranks}</div></section>'
        '<section id="rarity"><h2>Rarity distribution</h2>'
        f'<div class="chart">{histogram_chart(rarity["histogram"])}</div>'
        f'<p class="note">Collection entropy {_num(rarity["entropy"])} bits. Rank 1 is the rarest; '
        f"{e(data['method']['tie_rule'])}.</p></section>"
        f'<section id="rarest"><h2>The {len(result.rarest())} rarest tokens</h2>'
        f'<div class="cards">{rarest}</div></section>'
        f'<section id="common"><h2>The {len(result.most_common())} most common tokens</h2>'
        f'<div class="cards">{common or "<p class=note>None besides the rarest.</p>"}</div>'
        "</section>"
        '<section id="duplicates"><h2>Duplicates</h2>'
        f"<h3>Identical trait sets</h3><ul>{identical or '<li>none</li>'}</ul>"
        f"<h3>Near-identical portraits (pHash distance at most {dup['phash_distance']}, "
        f'{dup["stills_hashed"]} stills hashed)</h3><ul class="pairs">'
        f"{near or '<li>none</li>'}</ul></section>"
        f'<section id="method"><h2>Method</h2><dl class="method">{method}</dl>'
        '<p class="note">Everything above, and every token, as data: '
        '<a href="report.json">report.json</a>, <a href="report.csv">report.csv</a> (one row a '
        'token), <a href="report-traits.csv">report-traits.csv</a> (one row a trait value).</p>'
        "</section>"
    )
    return page(f"Rarity audit: {name}", "audit", body, ("audit.js",), brand=name)
