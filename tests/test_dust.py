"""The Rebirth dust moves, bounces and is drawn as ORIGINAL.md section 3 says.

The expected places come from a plain, one-item-at-a-time walk of ORIGINAL 3's rules written
here (draw order, ranges, moving, turning, flipping at the wall while moving outward), not
from the vectorised field in `artgen.scene.particles`. A small canvas makes every item meet
the walls many times within a few thousand frames.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from artgen.portable_random import PortableRandom, key
from artgen.render.svg import svg_bytes
from artgen.scene import FrameOptions, build_scene
from artgen.scene.particles import DustField, dust, dust_field, portable_uniforms
from artgen.traits import sample_traits
from tests.test_scene import life

SIZES = [1, 6, 3, 1]  # drawn columns: input, two hidden layers, output
COLORS = [(1.0, 0.0, 0.0), (0.0, 0.6, 0.0), (0.0, 0.0, 1.0), (0.9, 0.7, 0.1)]
PAPER = (0.95, 0.93, 0.88)
WIDTH, HEIGHT = 90.0, 70.0  # units: a small sheet, so the dust meets its walls often
WALL = 12.5
HALF_WIDTH = {"circle": 1 / 2, "square": 7 / 16, "diamond": 4 / 7}  # ORIGINAL 3, of s


def reference(shape: str, seed=5, token=3, rebirths=1):
    """ORIGINAL 3 item by item: nodes column by column (x, y, heading, speed, size), then the
    segments gap by gap (x, y, length, angle, heading, speed, turn), all from one stream."""
    rng = PortableRandom(key("dust", seed, token, rebirths))

    def between(lo, hi):
        return lo + (hi - lo) * rng.random()

    def place_and_velocity(item):
        item["x"] = between(WALL, WIDTH - WALL)
        item["y"] = between(WALL, HEIGHT - WALL)

    def velocity(item):
        heading = 2 * math.pi * rng.random()
        speed = between(0.02, 0.05)
        item["vx"], item["vy"] = speed * math.cos(heading), speed * math.sin(heading)

    nodes, segments = [], []
    for column, n in enumerate(SIZES):
        for _ in range(math.ceil(n / 4)):
            item = {"column": column, "angle": 0.0, "turn": 0.0}
            place_and_velocity(item)
            velocity(item)
            item["size"] = between(10, 25)
            item["half"] = HALF_WIDTH[shape] * item["size"]
            nodes.append(item)
    ends = [1, *SIZES, 1]
    for gap in range(len(SIZES) + 1):
        for _ in range(math.ceil(1.5 * ends[gap] * ends[gap + 1])):
            item = {"gap": gap}
            place_and_velocity(item)
            item["half"] = between(5, 10) / 2
            item["angle"] = 2 * math.pi * rng.random()
            velocity(item)
            item["turn"] = between(0.0002, 0.001)
            segments.append(item)
    return nodes, segments


def step(item, segment: bool, flips: dict):
    """One 60 Hz frame: move, turn, then flip a velocity crossing a wall while moving out."""
    item["x"] += item["vx"]
    item["y"] += item["vy"]
    item["angle"] += item["turn"]
    if segment:  # its two ends: centre +- half x (cos, sin)
        ex = abs(item["half"] * math.cos(item["angle"]))
        ey = abs(item["half"] * math.sin(item["angle"]))
    else:
        ex = ey = item["half"]
    for axis, extent, lo, hi in (("x", ex, WALL, WIDTH - WALL), ("y", ey, WALL, HEIGHT - WALL)):
        v = "v" + axis
        if item[axis] - extent < lo and item[v] < 0:
            item[v] = -item[v]
            flips[(segment, axis, "low")] += 1
        elif item[axis] + extent > hi and item[v] > 0:
            item[v] = -item[v]
            flips[(segment, axis, "high")] += 1


def walk(shape: str, clocks):
    """{clock: (nodes, segments)} with each item's x, y, angle at that (real) clock."""
    nodes, segments = reference(shape)
    flips = {(s, a, w): 0 for s in (False, True) for a in "xy" for w in ("low", "high")}
    out, done = {}, 0
    for clock in sorted(clocks):
        whole = math.floor(clock)
        for _ in range(whole - done):
            for item in nodes:
                step(item, False, flips)
            for item in segments:
                step(item, True, flips)
        done = whole
        f = clock - whole  # between two frames an item moves in a straight line
        out[clock] = tuple(
            [(i["x"] + f * i["vx"], i["y"] + f * i["vy"], i["angle"] + f * i["turn"], i) for i in g]
            for g in (nodes, segments)
        )
    return out, flips


def drawn(shape: str, clock: float, *, fill_mode="solid", share=1.0):
    return dust(
        seed=5,
        token=3,
        rebirths=1,
        column_sizes=SIZES,
        column_colors=COLORS,
        shape=shape,
        fill_mode=fill_mode,
        paper=PAPER,
        width=WIDTH,
        height=HEIGHT,
        clock=clock,
        share=share,
    )


CLOCKS = (0.0, 0.5, 1.0, 2.25, 777.75, 3000.0)


@pytest.mark.parametrize("shape", ["circle", "square", "diamond"])
def test_every_item_moves_turns_and_bounces_as_the_rules_say(shape):
    expected, flips = walk(shape, CLOCKS)
    # the walk met every wall, with nodes and with segments: the bounce is really exercised
    assert all(count > 0 for count in flips.values()), flips
    for clock in CLOCKS:
        particles = drawn(shape, clock)
        want_nodes, want_segments = expected[clock]
        assert len(particles.nodes) == len(want_nodes) == 5
        assert len(particles.lines) == len(want_segments) == 45
        for node, (x, y, _, item) in zip(particles.nodes, want_nodes, strict=True):
            assert (node.x, node.y) == pytest.approx((x, y), rel=1e-9, abs=1e-9), clock
            assert node.size == pytest.approx(item["size"], rel=1e-12)
            assert node.shape == shape
        for line, (x, y, angle, item) in zip(particles.lines, want_segments, strict=True):
            dx, dy = item["half"] * math.cos(angle), item["half"] * math.sin(angle)
            got = (line.x0, line.y0, line.x1, line.y1)
            assert got == pytest.approx((x + dx, y + dy, x - dx, y - dy), rel=1e-9, abs=1e-9)


def test_colours_and_paint_follow_the_columns_and_the_fill_mode():
    # ORIGINAL 3: segments of gap 0 g0 -> g0, gap j g_{j-1} -> g_j, gap L g_{L-1} -> g_{L-1};
    # nodes: solid = fill and stroke g_i, outline = paper fill, x-ray = no fill; opaque, 1u
    _, segments = reference("circle")
    ends = [COLORS[0], *COLORS, COLORS[-1]]
    lines = drawn("circle", 10.0).lines
    for line, item in zip(lines, segments, strict=True):
        assert (line.color0, line.color1) == (ends[item["gap"]], ends[item["gap"] + 1])
        assert (line.width, line.opacity) == (1.0, 1.0)
    assert {(ln.color0, ln.color1) for ln in lines} == {
        (COLORS[0], COLORS[0]),
        *zip(COLORS, COLORS[1:], strict=False),
        (COLORS[-1], COLORS[-1]),
    }
    nodes, _ = reference("circle")
    for fill_mode in ("solid", "outline", "xray"):
        for node, item in zip(drawn("circle", 10.0, fill_mode=fill_mode).nodes, nodes, strict=True):
            color = COLORS[item["column"]]
            assert (node.column, node.index) == (item["column"], -1)  # a piece of dust
            assert node.stroke == color and node.stroke_opacity == 1.0
            assert node.stroke_width == 1.0 and node.dash is None
            want = {"solid": (color, 1.0), "outline": (PAPER, 1.0), "xray": (None, 0.0)}
            assert (node.fill, node.fill_opacity) == want[fill_mode]


def test_each_group_draws_its_first_items_and_nothing_at_share_zero():
    whole = drawn("square", 40.0)
    assert len(drawn("square", 40.0, share=0.0)) == 0
    part = drawn("square", 40.0, share=0.3)
    nodes, segments = reference("square")
    counts = {}
    for item in segments:
        counts[item["gap"]] = counts.get(item["gap"], 0) + 1
    first = [0]
    for gap in range(len(counts)):
        first.append(first[-1] + counts[gap])
    kept = [i for g in counts for i in range(first[g], first[g] + math.ceil(0.3 * counts[g]))]
    assert part.lines == tuple(whole.lines[i] for i in kept)
    # one node per column here (ceil(n/4) <= 2): ceil(0.3 x 1) = 1, ceil(0.3 x 2) = 1
    by_column = {}
    for i, item in enumerate(nodes):
        by_column.setdefault(item["column"], []).append(i)
    assert part.nodes == tuple(whole.nodes[idx[0]] for idx in by_column.values())


def test_the_draws_are_the_portable_streams_own():
    # the page replays the dust from PortableRandom: the vectorised draws are the same numbers
    for text in ("dust|5|3|1", key("dust", "seed words", 9999, 0)):
        rng = PortableRandom(text)
        assert portable_uniforms(text, 1000).tolist() == [rng.random() for _ in range(1000)]


def test_an_animation_in_order_steps_each_frame_once_and_may_step_back(monkeypatch):
    calls = []
    original = DustField._step

    def counted(self, state):
        calls.append(1)
        return original(self, state)

    monkeypatch.setattr(DustField, "_step", counted)

    def field():
        return dust_field(
            seed=5,
            token=3,
            rebirths=1,
            column_sizes=SIZES,
            shape="circle",
            width=WIDTH,
            height=HEIGHT,
        )

    f = field()
    frames = [f.at(clock) for clock in range(0, 401)]
    assert len(calls) == 400  # one step per frame, however many frames were asked for
    again = f.at(400), f.at(400.25), f.at(400.5)  # between two frames: no step taken
    assert len(calls) == 400 and np.array_equal(again[0], frames[400])
    back = f.at(123.5)  # scrubbing back: the same places as a fresh field's
    assert len(calls) <= 400 + 124
    fresh = field()
    assert np.array_equal(back, fresh.at(123.5))
    assert np.array_equal(frames[400], fresh.at(400))


def test_a_rebirth_svg_names_each_piece_of_dust_once():
    token = sample_traits(1, 7)
    state = life([[0.0] * s for s in token.hidden_sizes], "Rebirth", 1.0, rebirths=2)
    scene = build_scene(token, token.hidden_sizes, state, options=FrameOptions(dust_clock=3.0))
    text = svg_bytes(scene, 256).decode()
    ids = re.findall(r'<g class="particle" id="([^"]+)"', text)
    assert len(ids) == len(scene.particles.nodes) > 0
    assert len(set(ids)) == len(ids)  # an SVG's ids are unique
