"""The animation timeline and frames (ORIGINAL.md 6 and 7, SPEC 6): reveal, blink, classification,
dust, loops and incremental drawing. Expected values come from ORIGINAL.md's numbers."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from artgen.animation import pace
from artgen.animation.frames import Animator
from artgen.animation.timeline import Timeline
from artgen.chain import from_values
from artgen.lifecycle import traits_life_state
from artgen.portable_random import PortableRandom, key
from artgen.scene import build_scene, frame_of, live_nodes
from artgen.tables import default_tables
from artgen.traits import sample_traits

TABLES = default_tables()  # the packaged Perceptrons tables

SEED = 1
NOW = "2024-11-25T10:40:00Z"
TOKEN = 106  # Aurora, circles, 16-10-8-7-3 hidden, Basic acceleration
STABLE_TIME = "2025-11-25T10:40:00Z"  # token 106 is Stable then
REBIRTH = (7, "2024-12-12T08:30:00Z")  # Rebirth 0.5 (a golden portrait)


def clip(token=TOKEN, time=STABLE_TIME, fee=12.4, size=96, fps=25, **kwargs) -> Animator:
    return Animator(
        sample_traits(SEED, token),
        from_values(time, fee),
        size=size,
        fps=fps,
        **kwargs,
        tables=TABLES,
    )


@pytest.mark.parametrize(
    ("acceleration", "step"), [("Basic", 30), ("Standard", 15), ("Advanced", 2)]
)
def test_reveal_steps_and_their_length_per_hardware_acceleration(acceleration, step):
    # ORIGINAL 6: 2L - 1 steps of 30 / 15 / 2 frames at 60 Hz; L = 4: Basic 210 frames (3.5 s),
    # Standard 105 (1.75 s), Advanced 14; item m shows from frame (m + 1) x step.
    assert pace.reveal_step(acceleration) == step
    assert pace.reveal_steps(4) == 7 and pace.reveal_length(4, acceleration) == 7 * step
    shown = [pace.revealed_items(f, 4, acceleration) for f in range(8 * step)]
    assert shown[:step] == [0] * step  # nothing during the first step
    for m in range(7):
        assert shown.index(m + 1) == (m + 1) * step
    assert max(shown) == 7
    # a 25 fps preview converts through seconds: (2L - 1) step / 60 s
    assert pace.preview_frames(pace.reveal_length(4, acceleration), 25) == math.ceil(
        7 * step * 25 / 60
    )


def test_the_reveal_pops_columns_then_gaps_at_the_preview_rate():
    c = clip(idle=1, reveal=True)
    t = c.timeline
    assert c.traits.acceleration == "Basic" and t.columns == 7
    assert t.reveal_frames == math.ceil(13 * 30 * 25 / 60)  # 13 steps of 0.5 s at 25 fps
    for k in range(t.reveal_frames):
        scene = c.scene(k)
        items = (k * 60 // 25) // 30
        assert {n.column for n in scene.nodes} == set(range(min(items, 7)))
        assert {ln.gap for ln in scene.lines} == set(range(max(0, items - 7)))
    assert c.scene(t.reveal_frames).nodes == c.still.nodes  # then everything shows


@pytest.mark.parametrize(
    ("fee", "sat", "x0", "rate", "steps"),
    # ORIGINAL 7: satFee 0.2 / 0.657 / 0.778; x0 = map(satFee, 0.2, 0.8, 15, 2); with L = 4,
    # Standard (a = 3 x 20 = 60), sparkRate = the a / k nearest x0, steps k = round(a / rate):
    # f = 10 -> x0 = 5.10 -> sparkRate 5, 12 steps (ORIGINAL's own example)
    [(1, 0.2, 15.0, 15.0, 4), (10, 0.6570, 5.099, 5.0, 12), (100, 0.77842, 2.4675, 2.5, 24)],
)
def test_blink_half_periods_and_counts_follow_the_fee(fee, sat, x0, rate, steps):
    assert pace.sat_fee(fee) == pytest.approx(sat, abs=1e-4)
    assert pace.blink_target(pace.sat_fee(fee)) == pytest.approx(x0, abs=1e-3)
    a = pace.classification_length(4, "Standard") // 2
    assert a == 60 and pace.spark_rate(a, pace.blink_target(pace.sat_fee(fee))) == rate
    assert pace.blink_steps(a, rate) == steps
    for live in (10, 26, 37):
        assert pace.active_amount(live, pace.sat_fee(fee)) == math.floor(live * sat)
    schedule = pace.blink_schedule(rate, 2 * a)
    # an "on" half then an "off" half per step: `steps` runs of "on" frames over T = 2a frames
    runs = sum(1 for i, on in enumerate(schedule) if on and (i == 0 or not schedule[i - 1]))
    assert runs == steps
    assert sum(schedule) == pytest.approx(a, abs=steps)  # about half of the frames are "on"


def test_below_one_sat_per_vbyte_the_fee_drops_under_0_2_and_nothing_blinks_at_zero():
    assert pace.sat_fee(0.5) < 0.2
    assert pace.sat_fee(0.0) == pytest.approx(-0.4)
    assert pace.active_amount(30, pace.sat_fee(0.0)) == 0


@pytest.mark.parametrize("fee", [1, 10, 100])
def test_idle_frames_erase_floor_live_times_satfee_nodes_drawn_with_replacement(fee):
    c = clip(fee=fee, idle=50)
    t = c.timeline
    live = [n.id for n in live_nodes(c.still.nodes)]
    assert list(t.live) == live and len(live) == 46
    count = math.floor(len(live) * pace.sat_fee(fee))
    on = [k for k in range(50) if t.options(k).erased]
    assert on and len(on) < 50  # "on" and "off" halves
    for k in on:
        erased = t.options(k).erased
        assert len(erased) == count
        r = PortableRandom(key("blink", SEED, TOKEN, k))  # a fresh draw every frame
        assert erased == tuple(live[int(r.random() * len(live))] for _ in range(count))


def test_the_idle_blink_is_paced_by_the_fee_and_fitted_to_the_loop():
    calm, busy = clip(fee=1, idle=100).timeline, clip(fee=100, idle=100).timeline
    # a 4 s loop spans 240 of the original's frames: x0 = 15 -> 8 steps of 2 x 15 frames;
    # x0 = 2.47 -> 49 steps of 2 x 2.449 frames
    assert calm.idle_rate == pytest.approx(240 / 16)
    assert busy.idle_rate == pytest.approx(240 / 98)

    def switches(t):
        flags = [bool(t.options(k).erased) for k in range(100)]
        return sum(1 for a, b in zip(flags, flags[1:], strict=False) if a != b)

    assert switches(busy) > 3 * switches(calm)


def test_the_classification_erases_lines_right_of_a_front_that_crosses_in_t_frames():
    c = clip(idle=2, sweep=True)
    t = c.timeline
    # ORIGINAL 7: T = 2 (L - 1) processingFrames = 2 x 6 x 40 = 480 frames (Basic) = 8 s
    assert t.classification == 480 and t.sweep_frames == 200
    fronts = [t.options(k).line_clip for k in range(t.length) if t.phase(k) == "sweep"]
    x_in, x_out = c.still.column_x[0], c.still.column_x[-1]
    assert fronts[0] == x_in and fronts == sorted(fronts)
    for j, x in enumerate(fronts):
        assert x == pytest.approx(x_in + (j * 60 // 25) * (x_out - x_in) / 480)
    assert all(t.options(k).line_clip is None for k in range(t.length) if t.phase(k) != "sweep")


def test_frames_are_a_pure_function_of_token_time_fee_and_index():
    a, b = clip(idle=40), clip(idle=40)
    for k in (0, 7, 39):
        assert np.array_equal(a.frame(k), b.frame(k))
    assert a.timeline.options(5) != clip(fee=200, idle=40).timeline.options(5)


def test_incremental_frames_equal_a_full_redraw_in_every_phase():
    c = clip(idle=12, reveal=True, sweep=True, fps=10)
    t = c.timeline
    phases = set()
    for k in [*range(0, t.reveal_frames, 5), *range(t.reveal_frames, t.length, 9), t.length - 1]:
        phases.add(t.phase(k))
        assert np.array_equal(c.frame(k), c.redraw(k)), f"frame {k} ({t.phase(k)})"
    assert phases == {"reveal", "idle", "sweep"}


def test_frame_of_gives_the_scene_build_scene_gives():
    traits = sample_traits(SEED, TOKEN)
    life = traits_life_state(traits, from_values(STABLE_TIME, 1).time, tables=TABLES)
    still = build_scene(traits, traits.hidden_sizes, life)
    c = clip(idle=30, sweep=True)
    for k in (0, 3, 31, 60):
        options = c.timeline.options(k)
        assert frame_of(still, options) == build_scene(
            traits, traits.hidden_sizes, life, None, options
        )


def test_the_idle_loop_is_seamless():
    c = clip(idle=50)
    t = c.timeline
    assert t.loop
    assert dataclasses.replace(t.options(c.length), index=0) == t.options(0)
    assert np.array_equal(c.frame(c.length), c.frame(0))


def test_rebirth_dust_drifts_and_comes_back_in_a_loop():
    token, time = REBIRTH
    c = clip(token=token, time=time, idle=40, size=256)
    assert c.life.stage == "Rebirth" and not c.still.nodes
    assert not np.array_equal(c.frame(0), c.frame(10))  # it moves
    assert np.array_equal(c.frame(40), c.frame(0))  # and the drift is periodic
    first, later = c.scene(0).particles.nodes[0], c.scene(1).particles.nodes[0]
    # at most 0.05u per 60 Hz frame: 2.4 original frames per 25 fps frame
    assert 0 < math.dist((first.x, first.y), (later.x, later.y)) <= 0.05 * 2.4 + 1e-9


def test_timeline_refuses_an_empty_idle_phase():
    with pytest.raises(ValueError, match="idle"):
        Timeline(SEED, 0, 4, "Basic", 1.0, (), (0.0, 1.0), 25, idle=0)


def test_a_frame_that_shows_the_same_as_a_recent_one_is_not_drawn_again(monkeypatch):
    """A blink's "off" frames are the still again and again: drawn once, given as copies."""
    c = clip(idle=100)
    drawn = []
    real = c.cache.array
    monkeypatch.setattr(c.cache, "array", lambda *args: drawn.append(1) or real(*args))
    frames = [c.frame(k) for k in range(c.length)]
    distinct = {f.tobytes() for f in frames}
    assert len(drawn) < 0.7 * len(frames) and len(drawn) >= len(distinct)
    fresh = clip(idle=100)
    for k in range(c.length):
        assert np.array_equal(frames[k], fresh.redraw(k)), k
    frames[0][:] = 0  # each frame is the caller's own array
    assert not np.array_equal(c.frame(0), frames[0])
