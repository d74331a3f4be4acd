"""Drawing facts of a Stable network, in the Scene, in Cairo's calls and in the canvas's calls.

A golden image compares pixels, and a stroke 25% wider or a gradient turned round moves few
of them; these tests read what is drawn instead (tests/recording.py): stroke and line widths
against SPEC 6's worked example, each line's gradient from its left node's colour to its right
node's, and the dash of every partly alive neuron's outline, the same in both backends.
"""

from __future__ import annotations

import dataclasses

import pytest
from recording import Paint, cairo_strokes, canvas_strokes
from test_inscription import serving, write_file

from artgen.chain import from_values
from artgen.inscription import engine_js
from artgen.scene import Scene, portrait_scene
from artgen.tables import default_tables
from artgen.traits import sample_traits

SEED = 1
TABLES = default_tables()  # the packaged Perceptrons tables
STABLE_TIME = "2024-12-01T00:00:00Z"
#: ORIGINAL 12's worked example: 4 columns, at most 10 nodes (rho = 0.1): node stroke
#: 2.138u, line width 1.621u.
WORKED = {"sizes": (10, 6), "node_stroke": 2.138, "line_width": 1.621}
#: Stable portraits of every node shape and fill (token 64: diamond, solid; 203: square,
#: x-ray; 35: circle, outline).
STABLE = [(64, STABLE_TIME), (203, "2024-04-21T00:00:00Z"), (35, "2025-10-07T00:00:00Z")]
#: A dash (= its gap, in u; ORIGINAL 4) given to some nodes, to see each backend draw it.
DASH = 5.5
#: Cairo keeps path points in 24.8 fixed point: to 1/256 of a device unit.
PATH_UNIT = 1 / 256 + 1e-9
#: The canvas keeps line widths and dashes in single precision.
WIDTH_REL = 1e-6


def stable_scene(token: int, time: str, sizes=None) -> Scene:
    chain = from_values(time, 12.4)
    scene = portrait_scene(sample_traits(SEED, token), chain, sizes, tables=TABLES)
    assert scene.stage == "Stable"
    return scene


def spec_widths(columns: int, most: int) -> tuple[float, float]:
    """SPEC 6, written out here on its own: r = min(1/columns, 1/most); node stroke 2u..4u and
    line width 1u..10u, linear in r from 1/30 to 1."""
    r = min(1 / columns, 1 / most)
    t = (r - 1 / 30) / (1 - 1 / 30)
    return 2 + 2 * t, 1 + 9 * t


def with_dashes(scene: Scene) -> tuple[Scene, set[int]]:
    """The scene with every third node dashed (DASH), and the indices of those nodes."""
    dashed = set(range(0, len(scene.nodes), 3))
    nodes = tuple(
        dataclasses.replace(n, dash=DASH, life=0.5) if i in dashed else n
        for i, n in enumerate(scene.nodes)
    )
    return dataclasses.replace(scene, nodes=nodes), dashed


# -- the Scene -------------------------------------------------------------------------------


def test_worked_example_stroke_and_line_widths():
    scene = stable_scene(64, STABLE_TIME, WORKED["sizes"])
    counts = [sum(1 for n in scene.nodes if n.column == c) for c in range(scene.columns)]
    assert counts == [1, 10, 6, 1]
    assert {round(n.stroke_width, 3) for n in scene.nodes} == {WORKED["node_stroke"]}
    assert {round(ln.width, 3) for ln in scene.lines} == {WORKED["line_width"]}


@pytest.mark.parametrize(("token", "time"), STABLE)
def test_stable_widths_follow_the_spec_and_every_neuron_is_whole(token, time):
    scene = stable_scene(token, time)
    most = max(sum(1 for n in scene.nodes if n.column == c) for c in range(scene.columns))
    node_stroke, line_width = spec_widths(scene.columns, most)
    assert all(n.stroke_width == pytest.approx(node_stroke, abs=1e-9) for n in scene.nodes)
    assert all(ln.width == pytest.approx(line_width, abs=1e-9) for ln in scene.lines)
    assert all(n.life == 1.0 and n.dash is None for n in scene.nodes)


@pytest.mark.parametrize(("token", "time"), STABLE)
def test_stable_lines_run_from_the_left_nodes_colour_to_the_right_nodes(token, time):
    scene = stable_scene(token, time)
    at = {(round(n.x, 6), round(n.y, 6)): n for n in scene.nodes}
    counts = [sum(1 for n in scene.nodes if n.column == c) for c in range(scene.columns)]
    assert len(scene.lines) == sum(a * b for a, b in zip(counts, counts[1:], strict=False))
    for line in scene.lines:
        left = at[round(line.x0, 6), round(line.y0, 6)]
        right = at[round(line.x1, 6), round(line.y1, 6)]
        assert right.column == left.column + 1
        assert (line.color0, line.color1) == (left.stroke, right.stroke)
        assert line.g0[0] == left.x and line.g1[0] == right.x  # left to right, node to node
        assert line.g0[1] == line.g1[1]  # the colour changes along x only
        assert line.opacity == 0.5  # SPEC 6: 0.5 * min(life of both ends), both alive


# -- what a backend draws -------------------------------------------------------------------


def check_lines(scene: Scene, paints: list[Paint], side: int, tol: float) -> None:
    """Each line stroked once, in order, at its width, with its gradient: from its left
    node's colour at the left column to its right node's at the right column."""
    k = side / scene.side
    strokes = [p for p in paints if p.layer == "lines"]
    assert len(strokes) == len(scene.lines) and all(p.op == "stroke" for p in strokes)
    for line, paint in zip(scene.lines, strokes, strict=True):
        assert paint.start == pytest.approx((line.x0 * k, line.y0 * k), abs=PATH_UNIT)
        assert paint.width == pytest.approx(line.width * k, rel=WIDTH_REL)
        assert paint.dash is None and paint.cap == "round"  # round ends (ORIGINAL 12)
        kind, points, stops = paint.source
        assert kind == "linear"
        assert points == pytest.approx(tuple(v * k for v in (*line.g0, *line.g1)), abs=1e-6)
        assert points[0] < points[2]  # the gradient runs left to right
        assert len(stops) == 2
        assert stops[0] == pytest.approx((0.0, *line.color0, line.opacity), abs=tol)
        assert stops[1] == pytest.approx((1.0, *line.color1, line.opacity), abs=tol)


def check_nodes(scene: Scene, paints: list[Paint], side: int, tol: float, dashed=()) -> None:
    """Each node's outline stroked once, in order, at its stroke width and colour; dashed as
    the scene says (partly alive neurons), solid otherwise."""
    k = side / scene.side
    strokes = [p for p in paints if p.layer == "nodes" and p.op == "stroke"]
    assert len(strokes) == len(scene.nodes)
    for i, (node, paint) in enumerate(zip(scene.nodes, strokes, strict=True)):
        assert paint.width == pytest.approx(node.stroke_width * k, rel=WIDTH_REL), node.id
        assert paint.source[0] == "rgba"
        assert paint.source[1] == pytest.approx((*node.stroke, node.stroke_opacity), abs=tol)
        if i in dashed:  # dashes as long as their gaps, from the outline's start
            assert paint.dash is not None, f"{node.id}: partly alive, drawn solid"
            assert paint.dash[0] == pytest.approx((node.dash * k,) * 2, rel=WIDTH_REL), node.id
            assert paint.dash[1] == 0.0, node.id
        else:
            assert paint.dash is None, f"{node.id}: whole, drawn dashed"
    fills = [p for p in paints if p.layer == "nodes" and p.op == "fill"]
    filled = [n for n in scene.nodes if n.fill is not None and n.fill_opacity > 0]
    assert len(fills) == len(filled)
    for node, paint in zip(filled, fills, strict=True):
        assert paint.source[1] == pytest.approx((*node.fill, node.fill_opacity), abs=tol)


@pytest.mark.parametrize("side", [256, 1024])
@pytest.mark.parametrize(("token", "time"), STABLE)
def test_cairo_draws_the_stable_network_as_the_scene_says(token, time, side):
    scene = stable_scene(token, time)
    paints = cairo_strokes(scene, side)
    check_lines(scene, paints, side, tol=1e-12)
    check_nodes(scene, paints, side, tol=1e-12)
    layers = [p.layer for p in paints]
    assert layers.index("nodes") > max(i for i, name in enumerate(layers) if name == "lines")


@pytest.mark.parametrize(("token", "time"), STABLE)
def test_cairo_dashes_partly_alive_neurons_and_only_them(token, time):
    scene, dashed = with_dashes(stable_scene(token, time))
    check_nodes(scene, cairo_strokes(scene, 512), 512, tol=1e-12, dashed=dashed)


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    """A page with the art's engine (minified, as inscribed) loaded."""
    root = tmp_path_factory.mktemp("drawing")
    engine = write_file(root, "engine.js", engine_js())
    harness = write_file(
        root, "harness.html", f"<!doctype html><body><script src='/content/{engine}'></script>"
    )
    with serving(root) as url:
        page = browser.new_page()
        page.goto(f"{url}content/{harness}")
        page.wait_for_function("window.Perceptron !== undefined")
        yield page
        page.close()


# the canvas reports colours in whole 1/255 steps
CANVAS_COLOUR = 0.5 / 255 + 1e-9


@pytest.mark.parametrize(("token", "time"), STABLE)
def test_the_canvas_draws_the_stable_network_as_the_scene_says(page, token, time):
    scene = stable_scene(token, time)
    paints = canvas_strokes(page, scene, 1024)
    check_lines(scene, paints, 1024, tol=CANVAS_COLOUR)
    check_nodes(scene, paints, 1024, tol=CANVAS_COLOUR)


def test_the_canvas_dashes_partly_alive_neurons_and_only_them(page):
    scene, dashed = with_dashes(stable_scene(*STABLE[0]))
    check_nodes(scene, canvas_strokes(page, scene, 768), 768, tol=CANVAS_COLOUR, dashed=dashed)


def test_both_backends_make_the_same_calls_for_a_stable_portrait(page):
    scene = stable_scene(*STABLE[1])
    cairo = cairo_strokes(scene, 1024, ("lines", "nodes"))
    canvas = canvas_strokes(page, scene, 1024, ("lines", "nodes"))
    assert [(p.op, p.layer) for p in cairo] == [(p.op, p.layer) for p in canvas]
    for a, b in zip(cairo, canvas, strict=True):
        assert a.width == pytest.approx(b.width, rel=WIDTH_REL)
        assert a.start == pytest.approx(b.start, abs=PATH_UNIT)
        assert a.cap == b.cap
