"""The audit page's charts as inline SVG: target against observed per trait, the rarity
distribution and the agreement of the two rank methods.

Colours are CSS variables (site.css), so a chart follows the page's light or dark palette.
Every string from the collection is escaped.
"""

from __future__ import annotations

import math
from html import escape


def e(value: object) -> str:
    """Escape any value for HTML text or attributes."""
    return escape(str(value), quote=True)


def _svg(width: int, height: int, label: str, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{e(label)}">'
        f"<title>{e(title)}</title>"
    )


def off_target(v: dict, exact: bool) -> bool:
    """A value worth marking: outside the table, off its quota, or beyond two Poisson sigmas."""
    if v["expected"] == 0:
        return v["observed"] > 0
    return v["deviation"] != 0 if exact else abs(v["deviation"]) > 2 * math.sqrt(v["expected"])


def trait_chart(trait: dict, exact: bool = False) -> str:
    """Horizontal bars per value: target (expected, grey) behind observed (blue, red when the
    trait is flagged and the value is off target)."""
    values = trait["values"]
    label_w, bar_w, num_w, row_h, top = 150, 430, 130, 18, 22
    scale = max([1.0] + [max(v["expected"], v["observed"]) for v in values])
    height = top + row_h * len(values) + 6
    name = trait["name"]
    parts = [
        _svg(label_w + bar_w + num_w, height, f"{name}: target against observed",
             f"{name}: target against observed counts"),
        f'<rect x="{label_w}" y="4" width="12" height="10" fill="var(--target)"/>'
        f'<text x="{label_w + 16}" y="13">target (expected)</text>'
        f'<rect x="{label_w + 130}" y="6" width="12" height="6" fill="var(--observed)"/>'
        f'<text x="{label_w + 146}" y="13">observed</text>',
    ]  # fmt: skip
    for i, v in enumerate(values):
        y = top + i * row_h
        target = bar_w * v["expected"] / scale
        observed = bar_w * v["observed"] / scale
        flag = trait["flagged"] and off_target(v, exact)
        color = "var(--flag)" if flag else "var(--observed)"
        parts.append(
            f'<g class="bar{" off" if flag else ""}" data-value="{e(v["value"])}">'
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
        _svg(width, height, "rarity distribution",
             "Tokens per band of information-content score"),
        f'<line x1="{left}" y1="{10 + plot_h}" x2="{width - 10}" y2="{10 + plot_h}" '
        'stroke="var(--line)"/>',
    ]  # fmt: skip
    for i, c in enumerate(counts):
        h = plot_h * c / peak
        parts.append(
            f'<rect x="{left + i * bar + 1:.2f}" y="{10 + plot_h - h:.2f}" width="{bar - 2:.2f}" '
            f'height="{h:.2f}" fill="var(--observed)"><title>{edges[i]:.4g} to {edges[i + 1]:.4g}: '
            f"{c} tokens</title></rect>"
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


MAX_POINTS = 2000  # rank pairs drawn at most (an even sample of a larger collection)


def rank_chart(information: list[int], tools: list[int]) -> str:
    """Each token as a dot: its information-content rank across, its rarity.tools rank down.
    Dots on the diagonal are tokens both methods rank alike."""
    n = len(information)
    if n < 2:
        return '<p class="note">Too few tokens to compare rankings.</p>'
    size, pad = 320, 44
    plot = size - 2 * pad
    top = max(max(information), max(tools), 2)
    step = max(1, math.ceil(n / MAX_POINTS))

    def at(rank: int) -> float:
        return pad + plot * (rank - 1) / (top - 1)

    parts = [
        _svg(size, size, "rank agreement",
             "Information-content rank (across) against rarity.tools rank (down)"),
        f'<rect x="{pad}" y="{pad}" width="{plot}" height="{plot}" fill="none" '
        'stroke="var(--line)"/>',
        f'<line x1="{pad}" y1="{pad}" x2="{pad + plot}" y2="{pad + plot}" stroke="var(--target)" '
        'stroke-dasharray="4 4"/>',
    ]  # fmt: skip
    radius = 2.5 if n <= 500 else 1.5
    for i in range(0, n, step):
        parts.append(
            f'<circle cx="{at(information[i]):.1f}" cy="{at(tools[i]):.1f}" r="{radius}" '
            'fill="var(--observed)" fill-opacity="0.6"/>'
        )
    parts += [
        f'<text x="{pad}" y="{pad - 8}">1 (rarest)</text>',
        f'<text x="{pad + plot}" y="{pad - 8}" text-anchor="end">{top}</text>',
        f'<text x="{size / 2}" y="{size - 12}" text-anchor="middle">information-content rank'
        "</text>",
        f'<text x="{pad - 8}" y="{pad + plot}" text-anchor="end">{top}</text>',
        f'<text transform="translate(14 {size / 2}) rotate(-90)" text-anchor="middle">'
        "rarity.tools rank</text>",
        "</svg>",
    ]
    return "".join(parts)
