"""The Scene builder follows SPEC section 6: layout, life, scale, widths, particles, frames."""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys

import pytest

import palettes
from artgen.chain import DEFAULT_CHAIN_STATE, from_values
from artgen.lifecycle import LifeState, traits_life_state
from artgen.scene import FrameOptions, Scene, build_scene, portrait_scene
from artgen.scene.layout import dash_pattern, stroke_widths
from artgen.scene.particles import particle_counts
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


def test_opacity_follows_life_and_partly_alive_neurons_are_dashed():
    scene = build_scene(traits(), (4,), life([[1.0, 0.5, 0.0, 1.0]], "Decaying"))
    hidden = {n.index: n for n in scene.nodes if n.column == 1}
    for v, node in zip((1.0, 0.5, 0.0, 1.0), (hidden[i] for i in range(4)), strict=True):
        assert node.stroke_opacity == pytest.approx(0.25 + 0.75 * v)
        assert node.fill_opacity == pytest.approx(0.15 + 0.85 * v)
        assert (node.dash is not None) == (0.0 < v < 1.0)
    # Decaying: the dead neuron stays as a faint ghost, but no line reaches it
    ends = {(round(ln.x1), round(ln.y1)) for ln in scene.lines if ln.gap == 0}
    assert (round(hidden[2].x), round(hidden[2].y)) not in ends
    into_half = [ln for ln in scene.lines if ln.gap == 0 and ln.y1 == pytest.approx(hidden[1].y)]
    assert [ln.opacity for ln in into_half] == [pytest.approx(0.25)]  # 0.5 * min(1, 0.5)


def test_growing_draws_only_living_neurons_plus_input_and_output():
    token = sample_traits(SEED, 2)  # Cachet, 7 layers, Growing at the default chain state
    state = traits_life_state(token, DEFAULT_CHAIN_STATE.time, tables=TABLES)
    assert state.stage == "Growing" and 0.3 < state.growth < 0.9
    scene = build_scene(token, token.hidden_sizes, state, DEFAULT_CHAIN_STATE)
    alive = sum(1 for layer in state.neuron_life for v in layer if v > 0)
    dead = sum(1 for layer in state.neuron_life for v in layer if v == 0)
    assert dead > 0
    assert len(scene.nodes) == alive + 2
    assert all(n.life > 0 for n in scene.nodes)


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


def test_stroke_widths_grow_as_the_network_gets_smaller():
    assert stroke_widths(30, 30) == pytest.approx((2.0, 1.0))
    assert stroke_widths(3, 1) == pytest.approx(
        (2.0 + 2.0 * (1 / 3 - 1 / 30) / (29 / 30), 1.0 + 9.0 * (1 / 3 - 1 / 30) / (29 / 30))
    )
    small = build_scene(traits(), (3,), full((3,)))
    large = build_scene(traits(), (20,) * 10, full((20,) * 10))
    assert small.lines[0].width > large.lines[0].width
    assert small.nodes[0].stroke_width > large.nodes[0].stroke_width


@pytest.mark.parametrize("shape", ["circle", "square", "diamond"])
def test_dashes_fit_the_outline_a_whole_number_of_times(shape):
    size, width = 40.0, 2.5
    on, off, _ = dash_pattern(shape, size, width)
    perimeter = {
        "circle": math.pi * size,
        "square": 4 * 7 * size / 8,
        "diamond": 4 * math.sqrt(2) * 4 * size / 7,
    }[shape]
    count = perimeter / (on + off)
    assert count == pytest.approx(round(count)) and round(count) >= 4
    if shape != "circle":
        assert round(count) % 4 == 0  # the same on every side


def dead_state(token, stage, ratio):
    return life([[0.0] * s for s in token.hidden_sizes], stage, ratio, rebirths=2)


@pytest.mark.parametrize("stage", ["Dead", "Rebirth"])
def test_dead_and_rebirth_show_drifting_pieces_instead_of_the_network(stage):
    token = sample_traits(SEED, 7)
    ratio = 0.0 if stage == "Dead" else 1.0 - 1e-9
    scene = build_scene(token, token.hidden_sizes, dead_state(token, stage, ratio))
    assert scene.nodes == () and scene.lines == ()
    nodes, segments = particle_counts([1, *token.hidden_sizes, 1])
    assert len(scene.particles.nodes) == sum(nodes)  # about a quarter of each layer
    assert len(scene.particles.lines) == sum(segments)  # 1.5 * prev * next per gap
    assert nodes == [math.ceil(n / 4) for n in [1, *token.hidden_sizes, 1]]


def test_rebirth_pieces_reappear_in_proportion_to_the_stage_ratio():
    token = sample_traits(SEED, 6)
    total = len(build_scene(token, token.hidden_sizes, dead_state(token, "Dead", 0.0)).particles)
    for ratio in (0.0, 0.25, 0.5, 0.9):
        scene = build_scene(token, token.hidden_sizes, dead_state(token, "Rebirth", ratio))
        assert len(scene.particles) == math.floor(ratio * total + 0.5)
    late = build_scene(token, token.hidden_sizes, dead_state(token, "Dead", 0.75))
    assert len(late.particles) == math.floor(0.25 * total + 0.5)  # dissolving to a blank slate


def test_particles_drift_with_the_frame_index_and_stay_inside_the_frame():
    token = sample_traits(SEED, 7)
    state = dead_state(token, "Dead", 0.0)

    def pieces(k):
        return build_scene(token, token.hidden_sizes, state, options=FrameOptions(index=k))

    assert pieces(5) == pieces(5)
    assert pieces(5).particles != pieces(6).particles
    inner = (12.5, 1024 - 12.5)
    for k in (0, 1, 300, 2999, 123456):
        scene = pieces(k)
        for node in scene.particles.nodes:
            assert inner[0] + node.size / 2 < node.x < inner[1] - node.size / 2
            assert inner[0] + node.size / 2 < node.y < inner[1] - node.size / 2
        for ln in scene.particles.lines:
            assert all(inner[0] < v < inner[1] for v in (ln.x0, ln.x1, ln.y0, ln.y1))
    other = dataclasses.replace(token, token=8)
    assert build_scene(other, other.hidden_sizes, state).particles != pieces(0).particles


def test_default_frame_options_give_the_fully_revealed_still():
    token = sample_traits(SEED, 3)
    state = traits_life_state(token, DEFAULT_CHAIN_STATE.time, tables=TABLES)
    still = build_scene(token, token.hidden_sizes, state)
    assert still == build_scene(token, token.hidden_sizes, state, options=FrameOptions())
    assert still.sweep == () and all(n.glow == 0 for n in still.nodes)


def test_reveal_shows_columns_top_down_and_grows_lines_from_the_left():
    sizes = (4, 4)
    whole = build_scene(traits(), sizes, full(sizes))
    options = FrameOptions(node_reveal=(1.0, 0.5, 0.0, 0.0), line_reveal=(1.0, 0.5, 0.0))
    part = build_scene(traits(), sizes, full(sizes), options=options)
    cols = columns_of(part)
    assert len(cols[0]) == 1 and [n.index for n in cols[1]] == [0, 1] and 2 not in cols
    assert {ln.gap for ln in part.lines} == {0, 1}
    grown = [ln for ln in part.lines if ln.gap == 1]
    for ln in grown:
        assert ln.x1 - ln.x0 == pytest.approx((whole.column_x[2] - whole.column_x[1]) / 2)


def test_sparks_light_living_nodes_and_the_sweep_brightens_crossed_lines():
    sizes = (3, 3)
    state = life([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]], "Decaying")
    options = FrameOptions(sparks=frozenset({"n1-0", "n1-2"}), sweep=1.5)
    scene = build_scene(traits(), sizes, state, options=options)
    glow = {n.id: n.glow for n in scene.nodes}
    assert glow["n1-0"] > 0 and glow["n1-2"] == 0  # a dead neuron does not light up
    assert glow["n3-0"] == 0  # the sweep has not reached the output
    assert scene.sweep and {ln.gap for ln in scene.sweep} == {1}
    for ln in scene.sweep:
        assert ln.x1 == pytest.approx((scene.column_x[1] + scene.column_x[2]) / 2)


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
