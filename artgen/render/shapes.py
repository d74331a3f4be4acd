"""Node outlines shared by every backend, so their dashes line up the same way everywhere.

A circle starts at angle 0; a square or diamond starts at the middle of a side (the dash
offsets of `artgen.scene.layout.dash_pattern` rely on this).
"""

from __future__ import annotations

import math

from ..scene import Node


def polygon(node: Node) -> list[tuple[float, float]]:
    """Corners of a square or diamond node, preceded by the middle of its last side, rotated
    by the node's angle."""
    if node.shape == "square":
        h = 7.0 * node.size / 16.0  # SPEC 6: a square of side 7s/8
        corners = [(h, h), (-h, h), (-h, -h), (h, -h)]
    else:
        d = 4.0 * node.size / 7.0  # SPEC 6: a diamond with corners 4s/7 from the centre
        corners = [(d, 0.0), (0.0, d), (-d, 0.0), (0.0, -d)]
    (ax, ay), (bx, by) = corners[-1], corners[0]
    points = [((ax + bx) / 2.0, (ay + by) / 2.0), *corners]
    if node.angle:
        c, s = math.cos(node.angle), math.sin(node.angle)
        points = [(x * c - y * s, x * s + y * c) for x, y in points]
    return [(node.x + x, node.y + y) for x, y in points]


#: A lit node's halo: (offset, opacity) stops of a radial gradient in the node's colour.
HALO_STOPS = ((0.0, 0.8), (0.4, 0.3), (1.0, 0.0))


def glow_radius(node: Node) -> float:
    """Radius of a lit node's halo."""
    return 1.6 * node.size
