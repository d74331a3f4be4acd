"""Node outlines shared by every backend, so their dashes start where the original's do.

ORIGINAL.md section 4: a dash pattern starts at the outline's path start, with dash and gap
equal. A circle starts at angle 0 (its rightmost point) and runs clockwise on screen; a
dashed square starts at its top-left corner (then top-right, bottom-right, bottom-left); a
dashed diamond at its left vertex (then top, right, bottom). Shapes are axis-aligned
(ORIGINAL 3 and 12). A solid outline has no start to see; Cairo starts it at the middle of a
side, as the portraits always have (its joins rasterise a hair differently by start point).
"""

from __future__ import annotations

from ..scene import Node


def polygon(node: Node) -> list[tuple[float, float]]:
    """The points of a square or diamond node's closed outline, in path order (ORIGINAL 12:
    a square of side 7s/8, a diamond with vertices 4s/7 from the centre)."""
    if node.shape == "square":
        h = 7.0 * node.size / 16.0
        corners = [(-h, -h), (h, -h), (h, h), (-h, h)]
    else:
        d = 4.0 * node.size / 7.0
        corners = [(-d, 0.0), (0.0, -d), (d, 0.0), (0.0, d)]
    if node.dash is None:
        (ax, ay), (bx, by) = corners[1], corners[2]
        corners = [((ax + bx) / 2.0, (ay + by) / 2.0), *corners[2:], *corners[:2]]
    return [(node.x + x, node.y + y) for x, y in corners]
