"""Incremental drawing: cached halos paint a direct draw's very pixels, at any size."""

from __future__ import annotations

import math
import random

import cairo
import numpy as np
import pytest

from artgen.animation.frames import Animator
from artgen.animation.halos import Halos, exact_scale
from artgen.chain import from_values
from artgen.render import surface_array
from artgen.render.cairo_backend import draw_halo
from artgen.scene import Node
from artgen.tables import default_tables
from artgen.traits import sample_traits

TABLES = default_tables()  # the packaged Perceptrons tables

SEED = 1


def lit_node(rng: random.Random) -> Node:
    colour = (rng.random(), rng.random(), rng.random())
    return Node(
        id="n1-0",
        column=1,
        index=0,
        x=rng.uniform(-60.0, 1084.0),  # some halos hang over the edge, some lie outside
        y=rng.uniform(-60.0, 1084.0),
        size=rng.uniform(4.0, 90.0),
        shape="circle",
        fill=colour,
        fill_opacity=0.5,
        stroke=colour,
        stroke_opacity=1.0,
        stroke_width=2.0,
        glow=rng.choice([0.9, 0.5, 0.05, rng.random()]),
    )


def backdrop(side: int) -> cairo.Context:
    """A surface with something under the halos: a gradient and a few thick strokes."""
    ctx = cairo.Context(cairo.ImageSurface(cairo.FORMAT_RGB24, side, side))
    paper = cairo.LinearGradient(0, 0, side, side)
    paper.add_color_stop_rgb(0.0, 0.9, 0.85, 0.7)
    paper.add_color_stop_rgb(1.0, 0.1, 0.2, 0.4)
    ctx.set_source(paper)
    ctx.paint()
    ctx.set_source_rgba(0.2, 0.6, 0.3, 0.5)
    ctx.set_line_width(side / 40)
    for i in range(5):
        ctx.move_to(0, side * i / 5)
        ctx.line_to(side, side * (5 - i) / 5)
        ctx.stroke()
    ctx.scale(side / 1024, side / 1024)
    return ctx


def pixels(ctx: cairo.Context) -> np.ndarray:
    return surface_array(ctx.get_target())


@pytest.mark.parametrize("side", [96, 256, 333, 512, 1000, 1024])
def test_cached_halos_paint_exactly_the_pixels_of_a_direct_draw(side):
    rng = random.Random(side)
    nodes = [lit_node(rng) for _ in range(24)]
    nodes += nodes[:6]  # the same halos again, painted from their copies
    direct, cached, again = backdrop(side), backdrop(side), backdrop(side)
    assert exact_scale(direct.get_matrix()) == (side in (256, 512, 1024))  # both ways tested
    halos = Halos()
    for node in nodes:  # overlapping halos build up in order
        draw_halo(direct, node)
        halos(cached, node)
    assert len(halos) == 24
    for node in nodes:  # a second frame: every halo from its copy
        halos(again, node)
    assert len(halos) == 24
    assert np.array_equal(pixels(cached), pixels(direct))
    assert np.array_equal(pixels(again), pixels(direct))
    assert not np.array_equal(pixels(direct), pixels(backdrop(side)))  # halos do show


def test_halos_past_their_memory_budget_are_dropped_and_still_exact():
    rng = random.Random(7)
    nodes = [lit_node(rng) for _ in range(12)] * 2
    direct, cached = backdrop(256), backdrop(256)
    halos = Halos(budget=20_000)  # a few small copies at most
    for node in nodes:
        draw_halo(direct, node)
        halos(cached, node)
    assert len(halos) < 12
    assert np.array_equal(pixels(cached), pixels(direct))


@pytest.mark.parametrize(("size", "fee"), [(200, 300.0), (333, 12.4)])
def test_a_busy_idle_loop_draws_the_full_redraws_pixels_with_fewer_halos(size, fee):
    clip = Animator(
        sample_traits(SEED, 106),
        from_values("2024-11-25T10:40:00Z", fee),
        idle=10,
        size=size,
        tables=TABLES,
    )
    lit = 0
    for k in range(clip.length):
        lit += sum(1 for n in clip.scene(k).nodes if n.glow > 0)
        assert np.array_equal(clip.frame(k), clip.redraw(k)), f"frame {k}"
    assert 0 < len(clip.cache.halos) < lit  # drawn once, painted again


def test_surface_array_reads_padded_rows_in_rgb_order_into_a_view():
    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, 37, 21)  # rows padded past 37 pixels
    ctx = cairo.Context(surface)
    gradient = cairo.LinearGradient(0, 0, 37, 21)
    gradient.add_color_stop_rgb(0.0, 1.0, 0.2, 0.0)
    gradient.add_color_stop_rgb(1.0, 0.0, 0.4, 1.0)
    ctx.set_source(gradient)
    ctx.arc(18, 10, 9, 0, 2 * math.pi)
    ctx.fill()
    out = surface_array(surface)
    assert out.shape == (21, 37, 3) and out.dtype == np.uint8
    raw = np.frombuffer(bytes(surface.get_data()), np.uint8).reshape(21, -1)
    assert np.array_equal(out, raw[:, : 4 * 37].reshape(21, 37, 4)[:, :, [2, 1, 0]])
    assert out[5, 12, 0] > out[5, 12, 2] and out[15, 24, 2] > out[15, 24, 0]  # R, G, B order
    wide = np.zeros((21, 40, 3), np.uint8)  # a view with its own strides, as a PNG row writer
    surface_array(surface, out=wide[:, 3:])
    assert np.array_equal(wide[:, 3:], out) and not wide[:, :3].any()
