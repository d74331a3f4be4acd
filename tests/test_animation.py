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
    on = [s is not None for s in schedule]
    # an "on" half then an "off" half per step: `steps` runs of "on" frames over T = 2a frames,
    # the runs numbered 0 .. steps - 1
    runs = [s for i, s in enumerate(schedule) if on[i] and (i == 0 or not on[i - 1])]
    assert runs == list(range(steps))
    assert sum(on) == pytest.approx(a, abs=steps)  # about half of the frames are "on"


def test_below_one_sat_per_vbyte_the_fee_drops_under_0_2_and_nothing_blinks_at_zero():
    assert pace.sat_fee(0.5) < 0.2
    assert pace.sat_fee(0.0) == pytest.approx(-0.4)
    assert pace.active_amount(30, pace.sat_fee(0.0)) == 0


# SHR3 (ORIGINAL 0) from seed 101 = (0 + 1) x 100 + 1, the neuron order's seed for hidden
# layer 1 of life 0 (ORIGINAL 4), worked draw by draw: s ^= s << 17, s ^= s >> 13 (arithmetic),
# s ^= s << 5 on 32 bits, r = s / (2^32 - 1):
#   1. 0x00000065 -> 0x00ca0065 -> 0x00ca0635 -> 0x198ac095  r = 0.09977
#   2. 0x198ac095 -> 0x98a0c095 -> 0x675c0593 -> 0x8cdcb7f3  r = 0.55024
#   3. 0x8cdcb7f3 -> 0xe33ab7f3 -> 0x1cc5ae26 -> 0x84706ae6  r = 0.51734
#   4. 0x84706ae6 -> 0x51bc6ae6 -> 0x51bee705 -> 0x666207a5  r = 0.39993
#   5. 0x666207a5 -> 0x692807a5 -> 0x692b4ee5 -> 0x4c429245  r = 0.29789
#   6. 0x4c429245 -> 0x68c89245 -> 0x68cbd401 -> 0x71b15421  r = 0.44411
#   7. 0x71b15421 -> 0xd9f35421 -> 0x260d9bbb -> 0xe7beecdb  r = 0.90526
# Hidden layers of 4 and 3: the last one's shuffle of [0, 1, 2] takes draws 1 and 2
# (i = 1: j = floor(0.0998 x 1) = 0 -> [1, 0, 2]; i = 2: j = floor(0.5502 x 2) = 1 -> [1, 2, 0]).
# The blink sets continue the stream (ORIGINAL 7 as the code runs it): with 6 live nodes and 2
# a step, step 0 takes draws 3 and 4: floor(0.5173 x 6) = 3, floor(0.3999 x 6) = 2; step 1
# draws 5 and 6: floor(0.2979 x 6) = 1, floor(0.4441 x 6) = 2; step 2 starts at draw 7:
# floor(0.9053 x 6) = 5.
SIX = ("a", "b", "c", "d", "e", "f")
HAND_SETS = (("d", "c"), ("b", "c"))


def test_blink_sets_continue_the_originals_stream_after_the_neuron_order():
    from artgen.lifecycle import neuron_orders

    assert list(neuron_orders(0, (4, 3))[1]) == [1, 2, 0]  # draws 1 and 2, as worked above
    assert pace.blink_sets(0, (4, 3), SIX, 2, 2) == HAND_SETS
    assert pace.blink_sets(0, (4, 3), SIX, 1, 4) == (("d",), ("c",), ("b",), ("c",))
    assert pace.blink_sets(0, (4, 3), SIX, 3, 1) == (("d", "c", "b"),)
    # another life reseeds: (1 + 1) x 100 + 1 = 201, another stream
    assert pace.blink_sets(1, (4, 3), SIX, 2, 2) != HAND_SETS
    assert pace.blink_sets(0, (4, 3), SIX, 0, 3) == ((), (), ())  # nothing at a fee under 1


@pytest.mark.parametrize("fee", [1, 10, 100])
def test_idle_frames_erase_floor_live_times_satfee_nodes_of_their_steps_set(fee):
    c = clip(fee=fee, idle=120, fps=60)  # at 60 fps every one of the original's frames shows
    t = c.timeline
    live = [n.id for n in live_nodes(c.still.nodes)]
    assert list(t.live) == live and len(live) == 46
    count = math.floor(len(live) * pace.sat_fee(fee))
    erased = [t.options(k).erased for k in range(120)]
    runs = on_halves(erased)
    assert len(runs) == t.loop_steps and sum(map(len, runs)) < 120  # "on" and "off" halves
    assert all(len(e) == count for run in runs for e in run)
    sets = pace.blink_sets(c.life.rebirths, c.sizes, live, count, len(runs))
    assert [run[0] for run in runs] == list(sets) and all(len(set(run)) == 1 for run in runs)


def hand_timeline(**kwargs) -> Timeline:
    """Hidden layers 4 and 3 in life 0 with six live nodes; at 2 sat/vB satFee = 0.2 + 0.6
    tanh(log10 2) = 0.375, so floor(6 x 0.375) = 2 nodes blink a step (ORIGINAL 7)."""
    o = dict(columns=4, acceleration="Standard", fee_rate=2.0, live=SIX, rebirths=0,
             hidden_sizes=(4, 3), x_range=(0.0, 1.0), fps=60)  # fmt: skip
    return Timeline(**{**o, **kwargs})


def test_the_classification_shows_step_ks_set_over_its_whole_on_half():
    t = hand_timeline(idle=1, sweep=True)
    # T = 2 x 3 x 20 = 120, a = 60; x0 = map(0.375, 0.2, 0.8, 15, 2) = 11.2, so sparkRate =
    # 60 / 5 = 12 (60 / 6 = 10 is further), 5 steps. The counter (ORIGINAL 7): "on" for frames
    # 0-11, it reaches 12 on frame 12 ("off", back to 0), 12 again on frame 24, which is still
    # "off" and starts step 1, "on" for frames 25-35, ...
    assert t.blinking_count == 2 and t.sweep_rate == 12
    shown = [t.options(1 + n).erased for n in range(120)]  # frame 0 is the idle one
    assert shown[0:12] == [HAND_SETS[0]] * 12
    assert shown[12:25] == [()] * 13
    assert shown[25:36] == [HAND_SETS[1]] * 11
    assert shown[36] == ()


def on_halves(erased):
    """The runs of consecutive frames that erase something."""
    runs, run = [], []
    for e in (*erased, ()):
        if e:
            run.append(e)
        elif run:
            runs.append(run)
            run = []
    return runs


def test_the_idle_blink_goes_along_the_same_stream_and_a_loop_repeats_its_sets():
    t = hand_timeline(idle=600, sweep=False, reveal=True)
    assert not t.loop
    idle = [t.options(t.reveal_frames + i).erased for i in range(600)]
    runs = on_halves(idle)
    assert [r[0] for r in runs[:2]] == list(HAND_SETS)
    assert all(len(set(r)) == 1 for r in runs)  # a set stays out for its whole "on" half
    steps = len(runs)
    assert steps == pytest.approx(600 / (2 * 11.2), abs=1)
    assert [r[0] for r in runs] == list(pace.blink_sets(0, (4, 3), SIX, 2, steps))
    # a 2 s loop at 25 fps spans 120 of the original's frames: x0 = 11.2 -> 5 steps of 2 x 12
    loop = hand_timeline(idle=50, fps=25)
    assert loop.loop and loop.loop_steps == 5 and loop.idle_rate == 12
    first = [loop.options(k).erased for k in range(50)]
    assert [r[0] for r in on_halves(first)] == list(pace.blink_sets(0, (4, 3), SIX, 2, 5))
    assert [loop.options(50 + k).erased for k in range(50)] == first  # and again, the same


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
    # the original moves the front before it erases: one step in on the first frame, at the
    # output column on the last (frame 479 of 480)
    assert fronts[0] == pytest.approx(x_in + (x_out - x_in) / 480) and fronts == sorted(fronts)
    for j, x in enumerate(fronts):
        assert x == pytest.approx(x_in + (j * 60 // 25 + 1) * (x_out - x_in) / 480)
    assert pace.sweep_x(479, 480, x_in, x_out) == pytest.approx(x_out)
    assert pace.sweep_x(0, 480, x_in, x_out) == pytest.approx(x_in + (x_out - x_in) / 480)
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
        hand_timeline(idle=0)


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


@pytest.mark.parametrize("framework", ["Theano", "Torch", "TensorFlow"])
@pytest.mark.parametrize("dataset", ["MNIST", "CIFAR", "IMAGENET"])
def test_every_node_shape_and_fill_looks_the_same_in_a_frame_and_in_a_still(framework, dataset):
    # a frame draws the nodes alone over a cached background, a still after the lines: the
    # lines' round ends must not carry over to the node outlines (the canvas sets them too)
    import dataclasses

    traits = dataclasses.replace(sample_traits(SEED, TOKEN), framework=framework, dataset=dataset)
    c = Animator(traits, from_values(STABLE_TIME, 12.4), idle=4, size=128, fps=25, tables=TABLES)
    assert np.array_equal(c.frame(0), c.redraw(0))
