"""The Scene builder follows ORIGINAL.md: layout, Growing re-layout, ghosts, dust, paper, reveal.

Expected values are computed here from ORIGINAL.md's rules (sections named in each test), not
from the builder's own output.
"""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys

import numpy as np
import pytest

import palettes
from artgen.chain import DEFAULT_CHAIN_STATE, from_values
from artgen.lifecycle import LifeState, life_state
from artgen.render import to_array
from artgen.render.svg import svg_bytes
from artgen.scene import (
    FrameOptions,
    Scene,
    build_scene,
    classify_refusal,
    frame_of,
    portrait_scene,
)
from artgen.scene.elements import Pattern, canvas_units
from artgen.scene.layout import ghost_dash
from artgen.scene.particles import SPEED, dust_field
from artgen.tables import default_tables
from artgen.traits import sample_traits

TABLES = default_tables()  # the packaged Perceptrons tables

SEED = 1
BASE = sample_traits(SEED, 0)  # Nak, squares, solid; its visual traits are replaced per test


def traits(**changes):
    return dataclasses.replace(BASE, **changes)


def life(neuron_life, stage="Stable", ratio=0.5, rebirths=0) -> LifeState:
    """A LifeState with these neuron lives (the builder reads stage, ratio, rebirths, lives)."""
    lives = tuple(tuple(float(v) for v in layer) for layer in neuron_life)
    growth = sum(map(sum, lives)) / sum(map(len, lives))
    return LifeState(
        time=DEFAULT_CHAIN_STATE.time,
        age=30.0,
        rebirths=rebirths,
        stage=stage,
        stage_ratio=ratio,
        growth=growth,
        neuron_life=lives,
        next_stage_time=0.0,
        next_stable_time=0.0,
        year_seconds=86400.0,
    )


def full(sizes, stage="Stable"):
    return life([[1.0] * s for s in sizes], stage)


def columns_of(scene: Scene) -> dict[int, list]:
    out: dict[int, list] = {}
    for node in scene.nodes:
        out.setdefault(node.column, []).append(node)
    return out


def test_columns_are_one_input_the_hidden_layers_and_one_output():
    sizes = (7, 4, 9)
    scene = build_scene(traits(), sizes, full(sizes))
    cols = columns_of(scene)
    assert scene.columns == 5
    assert [len(cols[c]) for c in range(5)] == [1, 7, 4, 9, 1]
    # every pair of nodes in neighbouring columns is joined
    assert len(scene.lines) == 7 + 7 * 4 + 4 * 9 + 9
    assert {ln.gap for ln in scene.lines} == {0, 1, 2, 3}


def test_layout_spacings_and_node_size_follow_the_spec():
    sizes = (10, 4)
    scene = build_scene(traits(), sizes, full(sizes))
    column_spacing = (1024 - 100) / 4
    node_spacing = (1024 - 200) / 10
    xs = scene.column_x
    assert all(b - a == pytest.approx(column_spacing) for a, b in zip(xs, xs[1:], strict=False))
    assert (xs[0] + xs[-1]) / 2 == pytest.approx(512)  # centred horizontally
    for col in columns_of(scene).values():
        ys = [n.y for n in col]
        assert (ys[0] + ys[-1]) / 2 == pytest.approx(512)  # centred vertically
        assert all(b - a == pytest.approx(node_spacing) for a, b in zip(ys, ys[1:], strict=False))
        assert all(n.size == pytest.approx(min(column_spacing, node_spacing) / 2) for n in col)


def test_layer_colours_sample_the_palette_gradient_left_to_right():
    sizes = (5, 5, 5, 5, 5)
    scene = build_scene(traits(palette="Multiverse"), sizes, full(sizes))
    expected = palettes.get("Multiverse").column_colors(7)
    for node in scene.nodes:
        assert node.stroke == pytest.approx(expected[node.column])
    first = next(ln for ln in scene.lines if ln.gap == 0)
    assert first.color0 == pytest.approx(expected[0]) and first.color1 == pytest.approx(expected[1])


@pytest.mark.parametrize(
    ("dataset", "fill"), [("MNIST", "colour"), ("CIFAR", "paper"), ("IMAGENET", None)]
)
def test_node_fill_follows_the_dataset_trait(dataset, fill):
    sizes = (3,)
    scene = build_scene(traits(dataset=dataset, palette="Jims"), sizes, full(sizes))
    paper = palettes.parse_hex(palettes.get("Jims").paper)
    for node in scene.nodes:
        want = {"colour": node.stroke, "paper": paper, None: None}[fill]
        assert node.fill == (pytest.approx(want) if want else None)


@pytest.mark.parametrize(
    ("framework", "shape"), [("Theano", "circle"), ("Torch", "square"), ("TensorFlow", "diamond")]
)
def test_node_shape_follows_the_framework_trait(framework, shape):
    scene = build_scene(traits(framework=framework), (4,), full((4,)))
    assert {n.shape for n in scene.nodes} == {shape}


def test_layers_wider_than_30_are_drawn_at_scale_1_to_k_averaging_life():
    sizes = (64, 20)
    first = [1.0] * 60 + [0.5, 0.0, 0.0, 0.0]
    scene = build_scene(traits(), sizes, life([first, [1.0] * 20], "Decaying"))
    assert scene.scale == 3  # ceil(64 / 30)
    cols = columns_of(scene)
    assert len(cols[1]) == 22 and len(cols[2]) == 7  # ceil(64 / 3), ceil(20 / 3)
    lives = [n.life for n in cols[1]]
    assert lives[:20] == [1.0] * 20
    assert lives[20] == pytest.approx((0.5 + 0.0 + 0.0) / 3)
    assert lives[21] == 0.0  # the last group holds one neuron


def test_upgraded_model_draws_its_own_hidden_sizes_in_the_token_traits():
    token = sample_traits(SEED, 0)
    chain = from_values("2024-01-01T00:00:00Z", 5)
    scene = portrait_scene(token, chain, hidden_sizes=(15, 12), tables=TABLES)
    assert scene.columns == 4 and scene.meta_dict()["hidden_sizes"] == "15,12"
    assert {n.shape for n in scene.nodes} == {token.node_shape}


def test_mismatched_sizes_and_life_state_are_refused():
    with pytest.raises(ValueError, match="do not match"):
        build_scene(traits(), (4, 4), full((4,)))


def test_the_scene_is_pure_data_and_imports_no_cairo():
    code = (
        "import sys; from artgen.scene import portrait_scene; from artgen.tables import "
        "default_tables; from artgen.traits import sample_traits; portrait_scene(sample_traits"
        "(1, 2), tables=default_tables()); print('cairo' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    token = sample_traits(SEED, 2)
    assert portrait_scene(token, tables=TABLES) == portrait_scene(token, tables=TABLES)


def remap(v, a, b, c, d):
    return c + (d - c) * (v - a) / (b - a)


def expected_layout(columns: list[list[int]], width=1024.0, height=1024.0):
    """ORIGINAL 11 and 12 over the drawn nodes: {(column, index): (x, y)} and the node size."""
    most = max(len(c) for c in columns)
    xsize, ysize = (width - 100) / len(columns), (height - 200) / most
    out = {}
    for i, col in enumerate(columns):
        for r, j in enumerate(col):
            out[i, j] = (50 + (i + 0.5) * xsize, height / 2 + (r - (len(col) - 1) / 2) * ysize)
    return out, min(xsize, ysize) / 2


def assert_positions(scene, where) -> None:
    got = {(n.column, n.index): (n.x, n.y) for n in scene.nodes}
    assert sorted(got) == sorted(where)
    assert np.allclose([got[k] for k in sorted(got)], [where[k] for k in sorted(where)])


def state_at_age(sizes, age, cycle_days=1):
    return life_state(
        seed=1,
        token=0,
        birth_year=2000,
        life_cycle="60 Days",
        hidden_sizes=sizes,
        time=life_birth(2000) + age * 86400.0 * cycle_days,
        tables=TABLES,
    )


def life_birth(year):
    from artgen.lifecycle import birth_time

    return birth_time(year)


@pytest.mark.parametrize("sizes", [(5, 4), (16, 12, 8, 4), (20, 10, 10, 20)])
@pytest.mark.parametrize("age", [2.0, 6.0, 14.0])
def test_growing_lays_out_only_the_living_neurons(sizes, age):
    # ORIGINAL 1: neurons with life exactly 0 leave their column; the survivors keep their
    # order; maxNodes, node size and strokes follow the survivors; columns are re-centred.
    state = state_at_age(sizes, age)
    assert state.stage == "Growing"
    living = [[j for j, v in enumerate(layer) if v != 0.0] for layer in state.neuron_life]
    columns = [[0], *[col or [-1] for col in living], [0]]
    where, size = expected_layout(columns)
    scene = build_scene(traits(), sizes, state)
    assert_positions(scene, where)
    assert all(n.size == pytest.approx(size) for n in scene.nodes)
    most = max(len(c) for c in columns)
    rho = min(1 / len(columns), 1 / most)
    assert scene.nodes[0].stroke_width == pytest.approx(remap(rho, 1 / 30, 1, 2, 4))
    assert scene.lines[0].width == pytest.approx(remap(rho, 1 / 30, 1, 1, 10))


def test_a_growing_column_with_no_living_neuron_shows_one_centred_ghost():
    # ORIGINAL 1 and 4: an empty column gets one placeholder of value 0: centred, stroke alpha
    # 0.25, fill alpha 0.15, dashed 2 D u, and its lines (alpha 0.5 x 0) are invisible.
    sizes = (6, 3)
    scene = build_scene(traits(), sizes, life([[1, 1, 0, 1, 0, 0], [0, 0, 0]], "Growing"))
    where, size = expected_layout([[0], [0, 1, 3], [-1], [0]])
    assert_positions(scene, where)
    ghost = next(n for n in scene.nodes if n.column == 2)
    assert ghost.y == 512 and ghost.life == 0.0
    assert (ghost.id, ghost.index) == ("n2-empty", -1)  # it stands for no neuron
    assert (ghost.stroke_opacity, ghost.fill_opacity) == (0.25, pytest.approx(0.15))
    rho = min(1 / 4, 1 / 3)
    assert ghost.dash == pytest.approx(2 * remap(rho, 1 / 30, 1, 3, 10))
    assert {ln.gap for ln in scene.lines} == {0}  # nothing reaches or leaves the ghost
    assert classify_refusal(life([[1, 1, 0, 1, 0, 0], [0, 0, 0]], "Growing")) == "GROWING"


@pytest.mark.parametrize("v", [0.0, 0.25, 0.5, 0.8, 0.95, 1.0])
def test_decaying_ghosts_dash_and_fade_with_life(v):
    # ORIGINAL 12's worked example: L = 4, maxNodes = 10 -> rho = 0.1, D = 3.483, node stroke
    # 2.138u, line width 1.621u; ORIGINAL 4: dash = gap = 2 D (1 - v) u, solid under 1.5u;
    # stroke alpha 0.25 + 0.75 v, fill alpha 0.15 + 0.85 v; the full layout is kept.
    scene = build_scene(traits(), (10, 4), life([[v] + [1.0] * 9, [1.0] * 4], "Decaying"))
    node = next(n for n in scene.nodes if n.column == 1 and n.index == 0)
    assert node.stroke_width == pytest.approx(2.138, abs=1e-3)
    assert scene.lines[0].width == pytest.approx(1.621, abs=1e-3)
    d = 2 * 3.4827586 * (1 - v)
    assert node.dash == (pytest.approx(d) if d >= 1.5 else None)
    assert node.stroke_opacity == pytest.approx(0.25 + 0.75 * v)
    assert node.fill_opacity == pytest.approx(0.15 + 0.85 * v)
    assert len(scene.nodes) == 1 + 10 + 4 + 1  # the ghost keeps its place
    assert node.y == pytest.approx(512 + (0 - 4.5) * 82.4)
    into = [ln for ln in scene.lines if ln.gap == 0 and ln.y1 == pytest.approx(node.y)]
    assert [ln.opacity for ln in into] == ([pytest.approx(0.5 * v)] if v > 0 else [])


def test_a_ghost_dash_of_exactly_one_and_a_half_units_is_still_dashed():
    # ORIGINAL 4: solid *under* 1.5u. With 30 nodes in a column rho = 1/30, D = 3, so a
    # neuron at life 0.75 has dashes of 2 x 3 x 0.25 = 1.5u exactly
    assert ghost_dash(0.75, 1 / 30) == 1.5
    scene = build_scene(traits(), (30, 4), life([[0.75] + [1.0] * 29, [1.0] * 4], "Decaying"))
    node = next(n for n in scene.nodes if n.column == 1 and n.index == 0)
    assert node.dash == 1.5
    assert ghost_dash(0.76, 1 / 30) is None


def test_dead_draws_nothing_but_paper_pattern_and_frame():
    token = sample_traits(SEED, 89)
    scene = build_scene(
        token, token.hidden_sizes, life([[0.0] * s for s in token.hidden_sizes], "Dead", 0.7)
    )
    assert scene.nodes == () and scene.lines == () and len(scene.particles) == 0


def dust_scene(token, ratio, clock=0.0):
    state = life([[0.0] * s for s in token.hidden_sizes], "Rebirth", ratio, rebirths=2)
    return build_scene(token, token.hidden_sizes, state, options=FrameOptions(dust_clock=clock))


def test_rebirth_dust_counts_sizes_and_share_follow_the_original():
    # ORIGINAL 3: ceil(n / 4) nodes per column, ceil(1.5 a b) segments per gap j = 0..L (a
    # virtual single node beyond each end); each group draws its first ceil(count x ratio).
    token = sample_traits(SEED, 7)
    columns = [1, *token.hidden_sizes, 1]
    nodes = [math.ceil(n / 4) for n in columns]
    ends = [1, *columns, 1]
    segments = [math.ceil(1.5 * a * b) for a, b in zip(ends, ends[1:], strict=False)]
    whole = dust_scene(token, 1.0)
    assert len(whole.particles.nodes) == sum(nodes) and len(whole.particles.lines) == sum(segments)
    for ratio in (0.0001, 0.3, 0.77):
        part = dust_scene(token, ratio)
        assert len(part.particles.nodes) == sum(math.ceil(c * ratio) for c in nodes)
        assert len(part.particles.lines) == sum(math.ceil(c * ratio) for c in segments)
    for node in whole.particles.nodes:
        assert 10 <= node.size <= 25 and node.stroke_width == 1.0 and node.dash is None
        assert (node.fill_opacity, node.stroke_opacity) == (1.0, 1.0)  # solid, opaque
    colors = whole.column_colors
    for ln in whole.particles.lines:
        assert 5 <= math.dist((ln.x0, ln.y0), (ln.x1, ln.y1)) <= 10
        assert ln.width == 1.0 and ln.opacity == 1.0
        assert (ln.g0, ln.g1) == ((ln.x0, ln.y0), (ln.x1, ln.y1))  # along the segment
    # the first group's segments run g_0 -> g_0, the last one's g_{L-1} -> g_{L-1}
    assert (whole.particles.lines[0].color0, whole.particles.lines[0].color1) == (
        colors[0],
        colors[0],
    )
    assert whole.particles.lines[-1].color1 == colors[-1]


def test_rebirth_dust_drifts_slowly_and_bounces_inside_the_wall():
    # ORIGINAL 3: 0.02u to 0.05u per frame, bouncing inside a wall 12.5u in from the edges.
    token = sample_traits(SEED, 7)
    field = dust_field(
        seed=SEED,
        token=7,
        rebirths=2,
        column_sizes=[1, *token.hidden_sizes, 1],
        shape=token.node_shape,
        width=1024.0,
        height=1024.0,
    )
    speed = np.hypot(field.start[2], field.start[3])
    assert ((speed >= SPEED[0]) & (speed <= SPEED[1])).all()
    assert 0 < (field.turn[field.is_segment].min()) and field.turn.max() <= 0.001
    a, b = field.at(100.0), field.at(101.0)
    assert np.hypot(b[0] - a[0], b[1] - a[1]) == pytest.approx(speed, rel=1e-9)
    for clock in (0, 5000, 30000):
        x, y, _ = field.at(clock)
        # centres stay inside the wall (an edge may cross it for one step before turning back)
        assert (x >= 12.5 - 0.05).all() and (x <= 1024 - 12.5 + 0.05).all()
        assert (y >= 12.5 - 0.05).all() and (y <= 1024 - 12.5 + 0.05).all()
        vx = field.state(clock)[2]
        out_left = x - np.where(field.is_segment, np.abs(field.radius * np.cos(_)), field.radius)
        assert (vx[out_left < 12.5] > 0).all()  # past the left wall: already heading back
    assert dust_scene(token, 1.0, 10.0) == dust_scene(token, 1.0, 10.0)
    assert dust_scene(token, 1.0, 10.0) != dust_scene(token, 1.0, 11.0)


def test_paper_patterns_follow_the_original():
    # ORIGINAL 5: Dotted: 12.5u + 50u k while < W + 12.5u, 0.4 px dots stroked 1u;
    # Squared: 12.5u + 25u k, lines 0.1u wide; frame bands 12.5u.
    dotted = build_scene(traits(pattern="Dotted"), (4,), full((4,))).pattern
    assert dotted.xs == dotted.ys == tuple(12.5 + 50 * k for k in range(21))
    assert (dotted.width, dotted.dot_radius_px) == (1.0, 0.4)
    squared = build_scene(traits(pattern="Squared"), (4,), full((4,))).pattern
    assert squared.xs == tuple(12.5 + 25 * k for k in range(41)) and squared.width == 0.1
    wide = build_scene(
        traits(pattern="Squared"), (4,), full((4,)), options=FrameOptions(canvas=(1920, 1080))
    )
    assert wide.pattern.xs[-1] < wide.width + 12.5 <= wide.pattern.xs[-1] + 25
    assert (dotted.kind, squared.kind) == ("Dotted", "Squared")
    plain = build_scene(traits(pattern="Plain"), (4,), full((4,)))
    ink = plain.frame.color  # the pattern colour, which also draws the frame
    assert plain.pattern == Pattern("Plain", ink, 0.0, (), ())
    assert build_scene(traits(), (4,), full((4,))).frame.width == 12.5


def test_a_canvas_of_any_positive_size_is_1024_units_on_its_shorter_side():
    assert canvas_units(0.5, 1.0) == (1024.0, 2048.0)
    assert canvas_units(3.0, 0.25) == (12288.0, 1024.0)
    for w, h in ((0, 5), (5, 0), (0, 0), (-1, 5), (5, -2), (math.nan, 5), (5, math.nan)):
        with pytest.raises(ValueError, match=r"^a canvas needs a positive width and height, got"):
            canvas_units(w, h)


@pytest.mark.parametrize(("w", "h"), [(1920, 1080), (800, 1280), (1000, 1000)])
def test_any_window_shape_stretches_x_with_width_and_y_with_height(w, h):
    # ORIGINAL 11: u = min(W, H) / 1024; xsize = (W - 100u) / L; ysize = (H - 200u) / maxNodes.
    sizes = (6, 3)
    scene = build_scene(traits(), sizes, full(sizes), options=FrameOptions(canvas=(w, h)))
    width, height = 1024 * w / min(w, h), 1024 * h / min(w, h)
    assert (scene.width, scene.height) == (pytest.approx(width), pytest.approx(height))
    where, size = expected_layout([[0], list(range(6)), list(range(3)), [0]], width, height)
    assert_positions(scene, where)
    assert scene.nodes[0].size == pytest.approx(size)


def test_the_reveal_shows_whole_columns_then_whole_gaps():
    # ORIGINAL 6: items are column 0 .. L-1 of nodes, then gap 0 .. L-2 of lines; no fades.
    sizes = (4, 3)
    whole = build_scene(traits(), sizes, full(sizes))
    for shown in range(0, 8):
        part = build_scene(traits(), sizes, full(sizes), options=FrameOptions(reveal=shown))
        assert {n.column for n in part.nodes} == set(range(min(shown, 4)))
        assert {ln.gap for ln in part.lines} == set(range(max(0, shown - 4)))
        assert all(n in whole.nodes for n in part.nodes)  # whole nodes, at full opacity
    assert build_scene(traits(), sizes, full(sizes), options=FrameOptions(reveal=7)) == whole


def test_blinking_nodes_are_erased_and_the_sweep_clips_the_lines():
    # ORIGINAL 7: only nodes with life exactly 1 blink; the lines are erased right of the front.
    sizes = (3, 3)
    state = life([[1.0, 0.5, 1.0], [1.0, 1.0, 1.0]], "Decaying")
    options = FrameOptions(erased=("n1-0", "n1-1", "n1-0", "n3-0"), line_clip=300.0)
    scene = build_scene(traits(), sizes, state, options=options)
    assert [n.id for n in scene.erased] == ["n1-0", "n1-0", "n3-0"]  # n1-1 is half alive
    assert scene.line_clip == 300.0 and len(scene.lines) == len(
        build_scene(traits(), sizes, state).lines
    )


@pytest.mark.parametrize(
    ("stage", "lives", "word"),
    [
        ("Stable", [[1.0] * 4], None),
        ("Growing", [[0.0, 0.3, 0.0, 0.0]], None),
        ("Growing", [[0.0] * 4], "GROWING"),
        ("Decaying", [[0.0] * 4], "AGING"),
        ("Dead", [[0.0] * 4], "DEAD"),
        ("Rebirth", [[0.0] * 4], "BIRTH"),
    ],
)
def test_refusal_words_follow_the_original(stage, lives, word):
    # ORIGINAL 9: Dead and Rebirth never classify; nor does a network with an empty layer.
    assert classify_refusal(life(lives, stage)) == word


def test_the_picture_s_metadata_names_the_token_its_moment_and_the_engine():
    """The text a PNG carries (its tEXt chunks): what, when, at which scale, made by what."""
    import artgen
    from artgen.lifecycle import traits_life_state

    token = sample_traits(SEED, 0)
    chain = from_values("2024-01-01T00:00:00Z", 5)
    for sizes, scale in (((15, 12), 1), ((64, 20), 3)):
        scene = portrait_scene(token, chain, hidden_sizes=sizes, tables=TABLES)
        stage = traits_life_state(token, chain.time, sizes, tables=TABLES).stage
        assert scene.meta == (
            ("Title", "Perceptron #0"),
            ("seed", "1"),
            ("token", "0"),
            ("hidden_sizes", ",".join(map(str, sizes))),
            ("scale", f"1:{scale}"),
            ("stage", stage),
            ("frame", "0"),
            ("time", "2024-01-01T00:00:00Z"),
            ("Software", f"artgen {artgen.__version__}"),
            ("fee_rate", "5"),
        )


def test_network_lines_share_their_gap_s_horizontal_gradient():
    """ORIGINAL 12: a line's colour depends on x only, from its left column's colour at that
    column to its right column's at the next."""
    token = sample_traits(SEED, 0)
    scene = portrait_scene(token, from_values("2024-01-01T00:00:00Z", 5), tables=TABLES)
    assert scene.lines
    for ln in scene.lines:
        assert ln.g0 == (ln.x0, 0.0) and ln.g1 == (ln.x1, 0.0)
        assert ln.x0 < ln.x1


def test_a_node_s_half_width_follows_its_shape():
    """ORIGINAL 3: half a node's width along x or y is s/2 for a circle, 7s/16 for a square
    (its side), 4s/7 for a diamond (its half diagonal)."""
    from artgen.scene.layout import node_radius

    assert node_radius("circle", 16.0) == 8.0
    assert node_radius("square", 16.0) == 7.0 and node_radius("square", 32.0) == 14.0
    assert node_radius("diamond", 14.0) == 8.0 and node_radius("diamond", 28.0) == 16.0


def test_a_one_neuron_layer_is_drawn_and_a_network_unlike_its_life_is_refused():
    scene = build_scene(traits(), (1, 4), full((1, 4)))
    assert [len(c) for c in columns_of(scene).values()] == [1, 1, 4, 1]
    three = full((3,))
    for sizes, state in (
        ((), dataclasses.replace(three, neuron_life=())),
        ((0, 3), dataclasses.replace(full((1, 3)), neuron_life=((), (1.0,) * 3))),
        ((3, 2), three),
    ):
        with pytest.raises(ValueError, match="do not match the life state"):
            build_scene(traits(), sizes, state)


@pytest.mark.parametrize("stage", ["Stable", "Dead", "Rebirth"])
def test_a_frame_without_its_band_and_in_a_sweep_is_the_scene_build_scene_gives(stage):
    # the B key hides the frame band; an animation's frames come from frame_of, which must
    # give what build_scene gives for the same options, in every stage
    sizes = (6, 3)
    alive = 1.0 if stage == "Stable" else 0.0
    state = life([[alive] * 6, [alive] * 3], stage, 0.4)
    options = FrameOptions(show_frame=False, line_clip=300.0, index=7)
    frame = frame_of(build_scene(traits(), sizes, state), options)
    assert frame == build_scene(traits(), sizes, state, options=options)
    assert frame.frame.visible is False and frame.erased == ()
    if stage == "Stable":
        assert frame.line_clip == 300.0
    else:  # a sheet without a network has no lines to sweep: no clip, none in its SVG
        assert frame.line_clip is None and b"clipPath" not in svg_bytes(frame, 64)
    image = to_array(frame, 128)
    paper = np.round(np.array(frame.paper) * 255)
    assert np.abs(image[0, :, :3] - paper).max() <= 1  # the top edge: paper, no band
    framed = to_array(build_scene(traits(), sizes, state), 128)
    ink = np.round(np.array(frame.frame.color) * 255)
    assert np.abs(framed[0, :, :3] - ink).max() <= 1  # with the band: the pattern colour


def test_rebirth_dust_in_outline_is_filled_with_the_paper():
    state = life([[0.0] * 6, [0.0] * 3], "Rebirth", 1.0)
    scene = build_scene(traits(dataset="CIFAR"), (6, 3), state)
    assert scene.particles.nodes
    assert all(n.fill == scene.paper for n in scene.particles.nodes)
    assert {n.stroke for n in scene.particles.nodes} <= set(scene.column_colors)


def test_a_portrait_without_a_moment_names_no_time():
    # a model's card over its network in the neutral look (classify --card) has no block time
    from artgen.animation.card import neutral_scene

    keys = [k for k, _ in neutral_scene((5, 3), 0.8).meta]
    assert "time" not in keys and keys[:2] == ["Title", "seed"] and "Software" in keys


def test_a_reveal_counted_past_its_end_shows_the_whole_network():
    # ORIGINAL 6: 2L - 1 steps reveal everything; a later count (a slow or resumed clock)
    # shows the still, not more
    sizes = (6, 3)
    still = build_scene(traits(), sizes, full(sizes))
    steps = 2 * 4 - 1
    for reveal in (steps, steps + 1, steps + 5, 1000):
        shown = build_scene(traits(), sizes, full(sizes), options=FrameOptions(reveal=reveal))
        assert (shown.nodes, shown.lines) == (still.nodes, still.lines)
    before = build_scene(traits(), sizes, full(sizes), options=FrameOptions(reveal=steps - 1))
    assert before.nodes == still.nodes and len(before.lines) < len(still.lines)
