"""Rendering: golden portraits, palette colours, SVG structure, determinism, sizes, the CLI.

Golden images live in tests/golden/ (256 px). Regenerate them only on purpose:
ARTGEN_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_render.py -k golden
A mismatch writes expected | actual | difference to tests/golden/diff/ (git-ignored).
"""

from __future__ import annotations

import dataclasses
import io
import math
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pictures
import pytest
from click.testing import CliRunner
from PIL import Image

import palettes
from artgen.chain import DEFAULT_CHAIN_STATE, from_values
from artgen.cli import cli
from artgen.render import encode, portrait, render_png, surface_array, to_array, write
from artgen.render.cairo_backend import draw, image_surface
from artgen.scene import DYNAMIC_LAYERS, STATIC_LAYERS, FrameOptions, portrait_scene
from artgen.tables import default_tables
from artgen.traits import sample_traits

TABLES = default_tables()  # the packaged Perceptrons tables

GOLDEN = Path(__file__).parent / "golden"
FIXTURES = Path(__file__).parent / "fixtures"
REGEN = os.environ.get("ARTGEN_REGEN_GOLDEN") == "1"
SEED = 1
SVG = "{http://www.w3.org/2000/svg}"

#: (token, block time): all 3 shapes, 3 fills, 3 patterns, 10 palettes and all 5 stages.
GOLDEN_TOKENS = [
    (35, "2025-10-07T00:00:00Z"),  # Multiverse, Dotted, circle, outline: Stable
    (32, "2026-08-24T00:00:00Z"),  # Phoenix, Squared, diamond, x-ray: Growing 0.35
    (255, "2025-09-14T05:00:00Z"),  # Parallel, Squared, square, outline: Decaying 0.5
    (89, "2025-05-08T09:00:00Z"),  # Déjà Vu, Dotted, circle, x-ray: Dead 0.3
    (7, "2024-12-12T08:30:00Z"),  # Human, Dotted, circle, solid: Rebirth 0.5
    (52, "2024-12-14T06:00:00Z"),  # Blueprint, Plain, square, outline: Growing 0.15
    (64, "2024-12-01T00:00:00Z"),  # Whitepaper, Squared, diamond, solid: Stable
    (355, "2025-01-04T22:24:00Z"),  # Sunset, Plain, circle, solid: Decaying 0.8
    (28, "2028-04-20T12:00:00Z"),  # Blackboard, Squared, diamond, outline: Growing 0.6
    (203, "2024-04-21T00:00:00Z"),  # Info, Squared, square, x-ray: Stable
]
# Golden tolerance, in 0-255 levels (tests/pictures.py): anti-aliasing may differ a little
# between Cairo/pixman builds, but node strokes 25% wider move some 8 px window by 2.5 levels
# or more in every golden, and a missing or moved node changes dozens of pixels by far more.
GOLDEN_WINDOW, GOLDEN_LEVEL, GOLDEN_PIXELS = 2.0, 48, 12


def scene_at(token: int, time: str, fee_rate: float = 12.4, **options):
    chain = from_values(time, fee_rate)
    return portrait_scene(
        sample_traits(SEED, token), chain, options=FrameOptions(**options), tables=TABLES
    )


def compare_golden(name: str, actual: np.ndarray) -> None:
    path = GOLDEN / f"{name}.png"
    if REGEN:
        GOLDEN.mkdir(exist_ok=True)
        Image.fromarray(actual).save(path, optimize=True)
        return
    assert path.exists(), f"no golden {path}; run with ARTGEN_REGEN_GOLDEN=1 to create it"
    expected = np.asarray(Image.open(path).convert("RGB"))
    found = pictures.compare(expected, actual, GOLDEN_LEVEL)
    if found.window_mean > GOLDEN_WINDOW or found.far > GOLDEN_PIXELS:
        diff = pictures.write_diff_image(GOLDEN / "diff" / f"{name}.png", expected, actual)
        pytest.fail(
            f"{name}: {found.line(GOLDEN_LEVEL)} (bounds {GOLDEN_WINDOW}, {GOLDEN_PIXELS}); "
            f"see {diff}"
        )


@pytest.mark.parametrize(("token", "time"), GOLDEN_TOKENS)
def test_golden_portraits(token, time):
    scene = scene_at(token, time)
    compare_golden(f"seed{SEED}-token{token}-{scene.stage.lower()}", to_array(scene, 256))


def test_golden_tokens_cover_every_shape_fill_pattern_and_stage():
    seen = {"shape": set(), "fill": set(), "pattern": set(), "palette": set(), "stage": set()}
    for token, time in GOLDEN_TOKENS:
        t = sample_traits(SEED, token)
        seen["shape"].add(t.node_shape)
        seen["fill"].add(t.node_fill)
        seen["pattern"].add(t.pattern)
        seen["palette"].add(t.palette)
        seen["stage"].add(scene_at(token, time).stage)
    assert seen["shape"] == {"circle", "square", "diamond"}
    assert seen["fill"] == {"solid", "outline", "xray"}
    assert seen["pattern"] == {"Plain", "Dotted", "Squared"}
    assert seen["stage"] == {"Growing", "Stable", "Decaying", "Dead", "Rebirth"}
    assert len(seen["palette"]) >= 8


def rgb255(hex_color: str) -> np.ndarray:
    return np.array([round(c * 255) for c in palettes.parse_hex(hex_color)])


def close(pixel, want, tol=3) -> bool:
    return bool(np.all(np.abs(np.asarray(pixel, int) - np.asarray(want, int)) <= tol))


# a Stable token at the default chain state, drawn as solid circles on plain paper
STABLE = dataclasses.replace(
    sample_traits(SEED, 0), pattern="Plain", dataset="MNIST", framework="Theano"
)


@pytest.mark.parametrize("name", list(palettes.all_palettes()))
def test_every_palette_renders_with_its_own_colours(name):
    pal = palettes.get(name)
    scene = portrait_scene(dataclasses.replace(STABLE, palette=name), tables=TABLES)
    assert scene.stage == "Stable"
    image = to_array(scene, 256)
    k = 256 / 1024
    assert close(image[8, 8], rgb255(pal.paper))  # a corner inside the frame: paper
    assert close(image[1, 128], rgb255(pal.pattern))  # the frame, in the pattern colour
    assert close(image[254, 30], rgb255(pal.pattern))
    for node in scene.nodes:  # node centres show the gradient colour of their column
        want = np.round(np.array(pal.column_colors(scene.columns)[node.column]) * 255)
        assert close(image[int(node.y * k), int(node.x * k)], want)
    first, last = scene.nodes[0], scene.nodes[-1]
    assert close(image[int(first.y * k), int(first.x * k)], rgb255(pal.stops[0]))
    assert close(image[int(last.y * k), int(last.x * k)], rgb255(pal.stops[-1]))


class Recorder:
    """A stand-in Cairo context that records every drawing call (name, args)."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        def call(*args):
            self.calls.append((name, args))

        return call

    def named(self, name):
        return [args for n, args in self.calls if n == name]


def recorded(scene, side=1024, layers=("pattern",)):
    ctx = Recorder()
    draw(ctx, scene, side, layers)
    return ctx


def test_dotted_paper_is_pin_pricks_every_50u_from_12_5u_at_the_cairo_call_level():
    # ORIGINAL 5: a circle of radius 0.4 px (not scaled) at 12.5u + 50u k, stroked 1u, opaque
    import cairo

    scene = portrait_scene(dataclasses.replace(STABLE, pattern="Dotted"), tables=TABLES)
    for side in (512, 2048):
        ctx = recorded(scene, side)
        arcs = ctx.named("arc")
        want = {(12.5 + 50 * i, 12.5 + 50 * j) for i in range(21) for j in range(21)}
        assert {(x, y) for x, y, *_ in arcs} == want
        assert all(r * side / 1024 == pytest.approx(0.4) for _, _, r, *_ in arcs)  # device px
        assert ctx.named("set_line_width") == [(1.0,)]
        # q5's point strokes an ellipse left open, with the canvas's round caps
        assert ctx.named("close_path") == [] and len(ctx.named("stroke")) == len(arcs)
        assert all(a == 0.0 and b == pytest.approx(2 * math.pi) for *_, a, b in arcs)
        assert ctx.named("set_line_cap") == [(cairo.LINE_CAP_ROUND,)]
        assert ctx.named("set_source_rgb") == [
            palettes.parse_hex(palettes.get(STABLE.palette).pattern)
        ]


def test_squared_paper_is_hairlines_every_25u_at_the_cairo_call_level():
    # ORIGINAL 5: horizontal lines across the whole width at 12.5u + 25u k, then vertical
    # ones, 0.1u wide, opaque, round caps
    scene = portrait_scene(dataclasses.replace(STABLE, pattern="Squared"), tables=TABLES)
    ctx = recorded(scene)
    moves, ends = ctx.named("move_to"), ctx.named("line_to")
    ticks = [12.5 + 25 * k for k in range(41)]
    assert moves == [(0.0, y) for y in ticks] + [(x, 0.0) for x in ticks]
    assert ends == [(1024.0, y) for y in ticks] + [(x, 1024.0) for x in ticks]
    assert ctx.named("set_line_width") == [(0.1,)] and len(ctx.named("stroke")) == 82
    import cairo

    assert ctx.named("set_line_cap") == [(cairo.LINE_CAP_ROUND,)]


def test_ghost_dashes_and_dust_gradients_at_the_cairo_call_level():
    import cairo

    # ORIGINAL 4: a ghost's dash array is [d, d] from the path start (square: its top-left
    # corner); ORIGINAL 3: a dust segment's gradient runs from its first end to its other.
    token, time = GOLDEN_TOKENS[2]  # Parallel squares, Decaying
    scene = scene_at(token, time)
    ghost = next(n for n in scene.nodes if n.dash is not None)
    ctx = recorded(dataclasses.replace(scene, nodes=(ghost,)), layers=("nodes",))
    assert ctx.named("set_dash")[0] == ([ghost.dash, ghost.dash], 0.0)
    h = 7 * ghost.size / 16
    assert ctx.named("move_to") == [(ghost.x - h, ghost.y - h)]
    assert ctx.named("line_to")[0] == (ghost.x + h, ghost.y - h)
    rebirth = scene_at(*GOLDEN_TOKENS[4])
    ctx = recorded(rebirth, layers=("particles",))
    sources = ctx.named("set_source")
    assert len(sources) == len(rebirth.particles.lines)
    for (pattern,), line in zip(sources, rebirth.particles.lines, strict=True):
        assert pattern.get_linear_points() == pytest.approx((line.x0, line.y0, line.x1, line.y1))
        stops = pattern.get_color_stops_rgba()
        assert stops[0] == pytest.approx((0.0, *line.color0, 1.0))
        assert stops[1] == pytest.approx((1.0, *line.color1, 1.0))
    assert (cairo.LINE_CAP_ROUND,) in ctx.named("set_line_cap")
    assert set(ctx.named("set_line_width")) == {(1.0,)}


def test_a_dead_frame_is_the_bare_paper_pattern_and_frame_pixel_for_pixel():
    import cairo

    # ORIGINAL 2: paper, then the pattern and the frame; nothing else. Drawn here from the
    # rules with Cairo directly (Déjà Vu: paper #030706, pattern #77c4d9; Dotted).
    token, time = GOLDEN_TOKENS[3]
    scene = scene_at(token, time)
    assert scene.stage == "Dead" and sample_traits(SEED, token).pattern == "Dotted"
    side = 512
    k = side / 1024
    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, side, side)
    ctx = cairo.Context(surface)
    ctx.scale(k, k)
    ctx.set_source_rgb(*palettes.parse_hex("#030706"))
    ctx.rectangle(0, 0, 1024, 1024)
    ctx.fill()
    ink = palettes.parse_hex("#77c4d9")
    ctx.set_source_rgb(*ink)
    ctx.set_line_width(1.0)
    ctx.set_line_cap(cairo.LINE_CAP_ROUND)
    for y in range(21):
        for x in range(21):
            ctx.new_sub_path()
            ctx.arc(12.5 + 50 * x, 12.5 + 50 * y, 0.4 / k, 0, 2 * np.pi)  # left open (q5)
            ctx.stroke()
    ctx.set_fill_rule(cairo.FILL_RULE_EVEN_ODD)
    ctx.rectangle(0, 0, 1024, 1024)
    ctx.rectangle(12.5, 12.5, 1024 - 25, 1024 - 25)
    ctx.fill()
    surface.flush()
    assert np.array_equal(to_array(scene, side), surface_array(surface))


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (600, 900)])
def test_a_canvas_of_any_shape_renders_at_its_own_aspect_ratio(width, height):
    scene = portrait_scene(STABLE, options=FrameOptions(canvas=(width, height)), tables=TABLES)
    image = to_array(scene, min(width, height))
    assert image.shape == (height, width, 3)
    ink = rgb255(palettes.get(STABLE.palette).pattern)
    assert close(image[height // 2, 2], ink) and close(image[2, width // 2], ink)  # the frame
    u = min(width, height) / 1024
    node = scene.nodes[0]  # the input node, on the left, half-way down
    assert close(
        image[int(node.y * u), int(node.x * u)], rgb255(palettes.get(STABLE.palette).stops[0])
    )
    assert node.x * u < width / 4 and node.y * u == pytest.approx(height / 2, abs=1)


def svg_nodes(data: bytes):
    root = ET.fromstring(data)
    groups = root.iter(f"{SVG}g")
    return root, [g for g in groups if g.get("class") == "node"]


@pytest.mark.parametrize(("token", "time"), GOLDEN_TOKENS[:6])
def test_svg_parses_and_has_one_group_per_scene_node(token, time):
    scene = scene_at(token, time)
    root, nodes = svg_nodes(encode(scene, "svg", 512))
    assert root.get("width") == "512" and root.get("viewBox") == "0 0 1024 1024"
    assert len(nodes) == len(scene.nodes)
    assert [g.get("id") for g in nodes] == [n.id for n in scene.nodes]
    particles = [g for g in root.iter(f"{SVG}g") if g.get("class") == "particle"]
    assert len(particles) == len(scene.particles.nodes)
    lines = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "lines")
    assert len(lines) == len(scene.lines)


def test_growing_svg_counts_alive_neurons_plus_input_and_output():
    token, time = GOLDEN_TOKENS[1]
    scene = scene_at(token, time)
    from artgen.lifecycle import traits_life_state

    state = traits_life_state(sample_traits(SEED, token), from_values(time, 1).time, tables=TABLES)
    alive = sum(v > 0 for layer in state.neuron_life for v in layer)
    _, nodes = svg_nodes(encode(scene, "svg", 256))
    assert state.stage == "Growing" and len(nodes) == alive + 2 < state.total_neurons + 2


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_rendering_twice_gives_identical_bytes(fmt):
    token, time = GOLDEN_TOKENS[3]  # Dead: particles too
    assert encode(scene_at(token, time), fmt, 256) == encode(scene_at(token, time), fmt, 256)


def test_pdf_is_one_page_of_the_asked_size():
    data = encode(scene_at(*GOLDEN_TOKENS[0]), "pdf", 300)
    assert data.startswith(b"%PDF-") and b"/MediaBox [ 0 0 300 300 ]" in data
    assert b"/Count 1" in data


def test_a_2048_px_render_downscaled_is_close_to_a_512_px_render():
    scene = scene_at(6, "2028-04-20T12:00:00Z")  # 6 x 19 squares: the densest golden-like case
    big = Image.fromarray(to_array(scene, 2048)).resize((512, 512), Image.Resampling.BOX)
    diff = np.abs(np.asarray(big, int) - to_array(scene, 512).astype(int))
    # bound: mean under 1.5 levels, 99% of values within 12 levels (of 255)
    assert diff.mean() < 1.5
    assert np.percentile(diff, 99) <= 12


@pytest.mark.parametrize(("size", "small"), [(1000, 250), (4096, 512)])
def test_any_square_size(size, small):
    """A big render, box-downscaled, is the small render: anti-aliasing moves the worst 8 px
    window by under 4 levels; node strokes 25% wider at one size only by 8.5, a node missing
    at one size by 40 or more."""
    scene = portrait_scene(sample_traits(SEED, 3), tables=TABLES)
    image = to_array(scene, size)
    assert image.shape == (size, size, 3) and image.dtype == np.uint8
    shrunk = np.asarray(Image.fromarray(image).resize((small, small), Image.Resampling.BOX))
    found = pictures.compare(to_array(scene, small), shrunk, GOLDEN_LEVEL)
    assert found.window_mean <= 6.0 and found.far <= GOLDEN_PIXELS, found.line(GOLDEN_LEVEL)


def test_static_then_dynamic_layers_equal_the_whole_frame():
    options = {"erased": ("n1-0", "n2-3"), "line_clip": 500.0}
    scene = scene_at(106, "2025-11-25T10:40:00Z", **options)
    whole = image_surface(scene, 256)
    layered = image_surface(scene, 256, STATIC_LAYERS)
    import cairo

    draw(cairo.Context(layered), scene, 256, DYNAMIC_LAYERS)
    assert np.array_equal(surface_array(whole), surface_array(layered))


def test_blinking_nodes_are_erased_so_lines_and_paper_show_through():
    # ORIGINAL 7: an erased node's fill and outline are cleared from the node layer
    time = "2025-11-25T10:40:00Z"
    plain = scene_at(106, time)
    node = plain.nodes[5]
    assert node.life == 1.0
    erased = scene_at(106, time, erased=(node.id,))
    no_node = dataclasses.replace(plain, nodes=tuple(n for n in plain.nodes if n != node))
    got = to_array(erased, 512).astype(int)
    assert np.abs(got - to_array(no_node, 512).astype(int)).max() <= 64  # edge residue only
    changed = np.argwhere(np.abs(got - to_array(plain, 512).astype(int)).max(axis=2) > 8)
    ys, xs = changed[:, 0], changed[:, 1]
    r = (node.size + node.stroke_width) / 4  # in 512 px
    assert xs.min() >= node.x / 2 - r - 1 and xs.max() <= node.x / 2 + r + 1
    assert ys.min() >= node.y / 2 - r - 1 and ys.max() <= node.y / 2 + r + 1


def test_the_sweep_erases_the_lines_right_of_its_front():
    time = "2025-11-25T10:40:00Z"
    cut = to_array(scene_at(106, time, line_clip=400.0), 512).astype(int)
    plain = scene_at(106, time)
    whole = to_array(plain, 512).astype(int)
    bare = to_array(dataclasses.replace(plain, lines=()), 512).astype(int)
    assert np.abs(cut[:, :199] - whole[:, :199]).max() <= 8  # Cairo rounds clipped strokes
    assert np.array_equal(cut[:, :190], whole[:, :190])
    assert np.array_equal(cut[:, 201:], bare[:, 201:])


def test_notebook_api_returns_an_image_or_an_array():
    image = portrait(SEED, 3, size=256)
    array = portrait(SEED, 3, size=256, array=True)
    assert image.size == (256, 256) and image.mode == "RGB"
    assert np.array_equal(np.asarray(image), array)
    later = portrait(SEED, 3, size=256, time="2030-01-01T00:00:00Z", array=True)
    assert not np.array_equal(later, array)


def test_render_png_writes_a_png_with_its_seed_token_and_time(tmp_path):
    path = render_png(tmp_path / "demo" / "p.png", sample_traits(SEED, 3), size=256, tables=TABLES)
    with Image.open(path) as im:
        assert im.size == (256, 256) and im.format == "PNG"
        assert im.text["seed"] == "1" and im.text["token"] == "3"
        assert im.text["time"] == "2024-11-25T10:40:00Z"


def test_write_picks_the_format_from_the_extension(tmp_path):
    scene = portrait_scene(sample_traits(SEED, 3), tables=TABLES)
    assert write(scene, tmp_path / "a.PNG", 256).read_bytes().startswith(b"\x89PNG")
    assert write(scene, tmp_path / "a.svg", 256).read_bytes().startswith(b"<?xml")
    assert write(scene, tmp_path / "a.pdf", 256).read_bytes().startswith(b"%PDF")


def run(*args):
    return CliRunner().invoke(cli, ["render", *args])


@pytest.mark.parametrize("ext", ["png", "svg", "pdf"])
def test_cli_renders_each_format(tmp_path, ext):
    out = tmp_path / f"p.{ext}"
    result = run("--seed", "1", "--token", "3", "--px", "256", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    assert out.read_bytes() == encode(portrait_scene(sample_traits(1, 3), tables=TABLES), ext, 256)


def test_cli_time_defaults_to_the_embedded_chain_state(tmp_path):
    a, b, c = tmp_path / "a.png", tmp_path / "b.png", tmp_path / "c.png"
    assert run("--seed", "1", "--token", "7", "--px", "256", "-o", str(a)).exit_code == 0
    now = str(int(DEFAULT_CHAIN_STATE.time))
    assert (
        run("--seed", "1", "--token", "7", "--px", "256", "--time", now, "-o", str(b)).exit_code
        == 0
    )
    later = "2026-01-01T00:00:00Z"
    assert (
        run("--seed", "1", "--token", "7", "--px", "256", "--time", later, "-o", str(c)).exit_code
        == 0
    )
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()


def test_cli_model_draws_the_upgraded_network(tmp_path):
    model = tmp_path / "m.json"
    shutil.copy(FIXTURES / "artblocks_classifier_model.json", model)  # hidden layers 15, 12
    out = tmp_path / "p.svg"
    result = run(
        "--seed",
        "1",
        "--token",
        "6",
        "--px",
        "256",
        "--model",
        str(model),
        "-o",
        str(out),
        "--time",
        "2028-04-20T12:00:00Z",
    )
    assert result.exit_code == 0, result.output
    root, nodes = svg_nodes(out.read_bytes())
    assert "hidden_sizes=15,12" in root.find(f"{SVG}desc").text
    assert {g.get("id").split("-")[0] for g in nodes} <= {"n0", "n1", "n2", "n3"}
    squares = [g for g in nodes if g[0].tag == f"{SVG}path"]
    assert len(squares) == len(nodes)  # token 6 keeps its square nodes


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "x.gif"], "expected a file name ending .png, .svg or .pdf"),
        (["--px", "32", "-o", "x.png"], "32 is not in the range 64<=x<=4096"),
        (["--time", "soon", "-o", "x.png"], "expected ISO 8601"),
        (["--model", "missing.json", "-o", "x.png"], "missing.json"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_code_2(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["render", "--seed", "1", "--token", "3", *args])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert not list(tmp_path.glob("x.*"))


def test_png_bytes_decode_to_the_rendered_pixels():
    scene = portrait_scene(sample_traits(SEED, 3), tables=TABLES)
    decoded = np.asarray(Image.open(io.BytesIO(encode(scene, "png", 256))).convert("RGB"))
    assert np.array_equal(decoded, to_array(scene, 256))
