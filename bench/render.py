"""Portrait rendering: drawing time against the Cairo floor, then PNG encoding on its own.

For a small, a median and the largest architecture (10 layers x 20 neurons), all Stable:
- engine: `artgen.render.cairo_backend.draw` of a prepared Scene on a 1024 px ImageSurface;
- floor (baseline): the same primitives, read from the same Scene, sent straight to pycairo
  by the minimal loop below (one gradient per line, as a direct translation would), with no
  engine code in between. Ratio = engine / floor (goal <= 1.25).
Then the Scene build time, PNG encoding (PIL with metadata, as `artgen render` writes, and
Cairo's own writer) and file sizes, reported separately.
"""

from __future__ import annotations

import dataclasses
import io
import math
import statistics
import sys
import time

import cairo
from goals import finish, goal

from artgen.lifecycle import traits_life_state
from artgen.render import encode, png_bytes_of, surface_array
from artgen.render.cairo_backend import draw
from artgen.render.shapes import polygon
from artgen.scene import build_scene, portrait_scene
from artgen.tables import default_tables
from artgen.traits import sample_range, sample_traits

TABLES = default_tables()  # the packaged Perceptrons tables

SIDE = 1024
REPEAT = 15


def paired_medians(a, b, repeat: int = REPEAT) -> tuple[float, float]:
    """Median times of a and b, run alternately so that load on the machine hits both alike."""
    a(), b()  # warm up
    ta, tb = [], []
    for _ in range(repeat):
        for fn, times in ((a, ta), (b, tb)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(ta), statistics.median(tb)


def median_time(fn, repeat: int = REPEAT) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def floor_draw(ctx: cairo.Context, scene) -> None:
    """The Cairo floor: every primitive of the Scene, straight to pycairo."""
    k = SIDE / scene.side
    ctx.scale(k, k)
    ctx.set_source_rgb(*scene.paper)
    ctx.paint()
    p = scene.pattern
    ctx.save()
    ctx.set_source_rgb(*p.color)
    ctx.set_line_width(p.width)
    ctx.set_line_cap(cairo.LINE_CAP_ROUND)
    if p.kind == "Dotted":
        r = p.dot_radius_px / k
        for y in p.ys:
            for x in p.xs:
                ctx.move_to(x + r, y)
                ctx.arc(x, y, r, 0, 2 * math.pi)
        ctx.stroke()
    elif p.kind == "Squared":
        for x in p.xs:
            ctx.move_to(x, 0)
            ctx.line_to(x, scene.height)
        for y in p.ys:
            ctx.move_to(0, y)
            ctx.line_to(scene.width, y)
        ctx.stroke()
    ctx.restore()
    w = scene.frame.width
    ctx.set_fill_rule(cairo.FILL_RULE_EVEN_ODD)
    ctx.rectangle(0, 0, scene.side, scene.side)
    ctx.rectangle(w, w, scene.side - 2 * w, scene.side - 2 * w)
    ctx.set_source_rgb(*scene.frame.color)
    ctx.fill()
    ctx.set_fill_rule(cairo.FILL_RULE_WINDING)
    for ln in scene.lines:
        g = cairo.LinearGradient(*ln.g0, *ln.g1)
        g.add_color_stop_rgba(0, *ln.color0, ln.opacity)
        g.add_color_stop_rgba(1, *ln.color1, ln.opacity)
        ctx.set_source(g)
        ctx.set_line_width(ln.width)
        ctx.set_line_cap(cairo.LINE_CAP_ROUND)
        ctx.move_to(ln.x0, ln.y0)
        ctx.line_to(ln.x1, ln.y1)
        ctx.stroke()
    for n in scene.nodes:
        if n.shape == "circle":
            ctx.arc(n.x, n.y, n.size / 2, 0, 2 * math.pi)
        else:
            pts = polygon(n)
            ctx.move_to(*pts[0])
            for pt in pts[1:]:
                ctx.line_to(*pt)
        ctx.close_path()
        if n.fill is not None:
            ctx.set_source_rgba(*n.fill, n.fill_opacity)
            ctx.fill_preserve()
        ctx.set_source_rgba(*n.stroke, n.stroke_opacity)
        ctx.set_line_width(n.stroke_width)
        ctx.stroke()


def stable(traits, sizes):
    """A Scene of `sizes` in the token's traits, every neuron alive."""
    t = dataclasses.replace(traits, hidden_sizes=tuple(sizes))
    state = traits_life_state(t, 0.0, tables=TABLES)
    state = dataclasses.replace(state, stage="Stable", neuron_life=tuple((1.0,) * s for s in sizes))
    return t, state


def median_architecture() -> tuple[int, ...]:
    """The hidden sizes of the token with the median number of lines among 2,000."""
    tokens = sample_range(1, 0, 2000)

    def lines(sizes):
        cols = [1, *sizes, 1]
        return sum(a * b for a, b in zip(cols, cols[1:], strict=False))

    ranked = sorted(tokens, key=lambda t: lines(t.hidden_sizes))
    return ranked[len(ranked) // 2].hidden_sizes


def main() -> int:
    base = dataclasses.replace(sample_traits(1, 6), pattern="Squared")  # Phoenix, solid squares
    cases = {
        "small (5)": (5,),
        f"median {median_architecture()}": median_architecture(),
        "largest (10 x 20)": (20,) * 10,
    }
    print(f"{'architecture':<44} {'lines':>6} {'engine ms':>10} {'floor ms':>9} {'ratio':>6}")
    scenes = []
    for name, sizes in cases.items():
        traits, state = stable(base, sizes)
        scene = build_scene(traits, sizes, state)
        scenes.append((name, traits, sizes, state, scene))

        def engine(scene=scene):
            surface = cairo.ImageSurface(cairo.FORMAT_RGB24, SIDE, SIDE)
            draw(cairo.Context(surface), scene, SIDE)
            surface.flush()

        def floor(scene=scene):
            surface = cairo.ImageSurface(cairo.FORMAT_RGB24, SIDE, SIDE)
            floor_draw(cairo.Context(surface), scene)
            surface.flush()

        t_engine, t_floor = paired_medians(engine, floor)
        print(
            f"{name:<44} {len(scene.lines):>6} {t_engine * 1e3:>10.2f} {t_floor * 1e3:>9.2f} "
            f"{t_engine / t_floor:>6.2f}"
        )
        goal(f"Cairo draw, {name}: engine / floor", t_engine / t_floor, at_most=1.25, unit="x")

    print(f"\n{'architecture':<44} {'scene ms':>9} {'to array ms':>12}")
    for name, traits, sizes, state, scene in scenes:
        t_build = median_time(
            lambda traits=traits, sizes=sizes, state=state: build_scene(traits, sizes, state)
        )
        surface = cairo.ImageSurface(cairo.FORMAT_RGB24, SIDE, SIDE)
        draw(cairo.Context(surface), scene, SIDE)
        t_array = median_time(lambda surface=surface: surface_array(surface))
        print(f"{name:<44} {t_build * 1e3:>9.2f} {t_array * 1e3:>12.2f}")

    from PIL import Image

    print(f"\n{'PNG encode, 1024 px':<44} {'PIL ms':>7} {'kB':>6} {'cairo ms':>9} {'kB':>6}")
    for name, _, _, _, scene in scenes:
        surface = cairo.ImageSurface(cairo.FORMAT_RGB24, SIDE, SIDE)
        draw(cairo.Context(surface), scene, SIDE)
        image = Image.fromarray(surface_array(surface))
        t_pil = median_time(lambda image=image, scene=scene: png_bytes_of(image, scene), 7)
        pil_size = len(png_bytes_of(image, scene))

        def cairo_png(surface=surface):
            buf = io.BytesIO()
            surface.write_to_png(buf)
            return buf.getvalue()

        t_cairo = median_time(cairo_png, 7)
        print(
            f"{name:<44} {t_pil * 1e3:>7.1f} {pil_size / 1e3:>6.0f} {t_cairo * 1e3:>9.1f} "
            f"{len(cairo_png()) / 1e3:>6.0f}"
        )

    print(f"\n{'other formats, 1024 px':<44} {'SVG kB':>7} {'PDF kB':>7}")
    for name, _, _, _, scene in scenes:
        svg, pdf = encode(scene, "svg", SIDE), encode(scene, "pdf", SIDE)
        print(f"{name:<44} {len(svg) / 1e3:>7.0f} {len(pdf) / 1e3:>7.0f}")

    token = sample_traits(1, 6)
    t_total = median_time(lambda: encode(portrait_scene(token, tables=TABLES), "png", SIDE), 5)
    print(f"\nend to end, token 6 (6 x 19) to PNG bytes at 1024 px: {t_total * 1e3:.1f} ms")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
