"""The animation timeline and frames: reveal, sparks, sweep, drift, loops, incremental drawing."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import replace

import numpy as np
import pytest

from artgen.animation.frames import Animator
from artgen.animation.sparks import chosen, event_frames, fade_frames
from artgen.animation.timeline import Timeline
from artgen.chain import animation, from_values
from artgen.lifecycle import traits_life_state
from artgen.portable_random import PortableRandom, key
from artgen.scene import FrameOptions, build_scene, light
from artgen.scene.particles import DRAWS_PER_PIECE, SPEED, SPIN, portable_uniforms
from artgen.tables import default_tables
from artgen.traits import sample_traits

TABLES = default_tables()  # the packaged Perceptrons tables

SEED = 1
NOW = "2024-11-25T10:40:00Z"
TOKEN = 106  # Aurora, circles, 16-10-8-7-3 hidden, Growing at NOW, Basic acceleration
DEAD = (89, "2025-05-08T09:00:00Z")  # Dead 0.3 (a golden portrait)


def clip(token=TOKEN, time=NOW, fee=12.4, size=96, **kwargs) -> Animator:
    traits, chain = sample_traits(SEED, token), from_values(time, fee)
    return Animator(traits, chain, size=size, tables=TABLES, **kwargs)


def test_frames_are_a_pure_function_of_token_time_fee_and_index():
    a, b = clip(idle=40), clip(idle=40)
    for k in (0, 7, 39):
        assert np.array_equal(a.frame(k), b.frame(k))
    assert not np.array_equal(a.frame(3), clip(token=107, idle=40).frame(3))
    assert a.timeline.options(5) != clip(fee=200, idle=40).timeline.options(5)


def test_incremental_frames_equal_a_full_redraw_in_every_phase():
    c = clip(idle=12, reveal=True, sweep=True)
    t = c.timeline
    phases = {}
    for k in [*range(0, t.reveal_frames, 37), *range(t.reveal_frames, t.length, 23), t.length - 1]:
        phases.setdefault(t.phase(k), 0)
        phases[t.phase(k)] += 1
        assert np.array_equal(c.frame(k), c.redraw(k)), f"frame {k} ({t.phase(k)})"
    assert set(phases) == {"reveal", "idle", "sweep"}


def test_light_gives_the_scene_build_scene_gives():
    traits = sample_traits(SEED, TOKEN)
    life = traits_life_state(traits, from_values(NOW, 1).time, tables=TABLES)
    still = build_scene(traits, traits.hidden_sizes, life)
    first = FrameOptions(
        index=4, spark_phases=(("n1-3", 0.0, 2), ("n2-0", 0.5, 1), ("n1-3", 0.3, 0))
    )
    for options in (  # again and again: a clip relights the same still
        first,
        FrameOptions(index=9, sweep=2.4, sparks=frozenset({"n3-1"})),
        replace(first, spark_phases=(("n2-0", 0.5, 2), ("n1-3", 0.0, 1))),
        first,
    ):
        assert light(still, options) == build_scene(
            traits, traits.hidden_sizes, life, None, options
        )


def test_the_reveal_shows_nodes_then_lines_column_by_column_at_the_acceleration_pace():
    c = clip(idle=1, reveal=True)
    t = c.timeline
    per_layer = animation(12.4, c.traits.acceleration).reveal_frames_per_layer
    assert c.traits.acceleration == "Basic" and per_layer == 30
    assert t.reveal_frames == t.columns * per_layer
    for k in range(t.reveal_frames):
        o = t.options(k)
        step = k // per_layer  # the column being revealed
        assert all(s == 1.0 for s in o.node_reveal[:step]) and all(
            s == 0.0 for s in o.node_reveal[step + 1 :]
        )
        for g, reach in enumerate(o.line_reveal):
            assert reach == 0.0 or o.node_reveal[g] == 1.0  # a column's lines follow its nodes
    last = t.options(t.reveal_frames - 1)
    assert set(last.node_reveal) == {1.0} and set(last.line_reveal) == {1.0}
    fast = clip(token=22, idle=1, reveal=True)
    assert fast.traits.acceleration == "Advanced"
    assert fast.timeline.reveal_frames == fast.timeline.columns * 2  # two frames per layer


def spark_counts(fee: float, seconds: int = 8, fps: int = 25):
    c = clip(fee=fee, idle=seconds * fps)
    starts = [c.timeline.spark_starts(k) for k in range(c.length)]
    return sum(1 for s in starts if s) / seconds, sum(starts) / seconds


def test_a_higher_fee_rate_fires_more_spark_events_per_second():
    calm_events, calm_sparks = spark_counts(1.0)
    busy_events, busy_sparks = spark_counts(300.0)
    assert calm_events == pytest.approx(25 / 15, rel=0.1)  # SPEC 4: every 15 frames at f = 0.2
    assert busy_events >= 5 * calm_events  # every 2 frames at f = 0.8
    assert busy_sparks >= 15 * calm_sparks  # and each lights far more nodes


def test_each_event_lights_floor_live_times_activity_nodes_chosen_by_portable_random():
    c = clip(fee=30.0, idle=50)
    live = [nid for nid, _ in c.timeline.live]
    anim = c.timeline.animation
    e = event_frames(50, anim.spark_interval, True)[3]
    lit = [(nid, t) for nid, phase, t in c.timeline.options(e).spark_phases if phase == 0.0]
    count = math.floor(len(live) * anim.activity)
    # the documented order: the permutation, then one draw per lit node for its pulse
    r = PortableRandom(key("sparks", SEED, TOKEN, e))
    order = r.permutation(len(live))[:count]
    expected = []
    for i in order:
        column = int(live[i][1:].split("-")[0])
        nexts = [int(n.split("-")[1]) for n in live if n.startswith(f"n{column + 1}-")]
        u = r.random()
        expected.append((live[i], nexts[int(u * len(nexts))] if nexts else -1))
    assert lit == expected
    assert [i for i, _ in chosen("sparks", SEED, TOKEN, e, len(live), count)] == order


def test_sparks_glow_then_fade_over_a_few_frames():
    c = clip(fee=2.0, idle=60)  # a spark every 13 frames: one at a time
    e = event_frames(60, c.timeline.animation.spark_interval, True)[1]
    lit = {nid for nid, phase, _ in c.timeline.options(e).spark_phases if phase == 0.0}
    glow = []
    for k in range(e, e + 12):
        nodes = {n.id: n.glow for n in c.scene(k).nodes}
        glow.append(max(nodes[nid] for nid in lit))
    assert glow[0] > 0.8 and all(a > b for a, b in zip(glow[:6], glow[1:7], strict=True))
    assert glow[-1] == 0.0  # faded
    pulses = c.scene(e + 2).sweep  # a pulse runs from each lit node along one of its lines
    assert 0 < len(pulses) <= len(lit)


def test_the_idle_loop_is_seamless():
    c = clip(idle=50)
    t = c.timeline
    assert t.loop
    assert dataclasses.replace(t.options(c.length), index=0) == t.options(0)
    assert np.array_equal(c.frame(c.length), c.frame(0))  # the frame after the last is the first
    frames = [c.frame(k).astype(int) for k in range(c.length)]
    steps = [np.abs(b - a).mean() for a, b in zip(frames, frames[1:], strict=False)]
    wrap = np.abs(frames[0] - frames[-1]).mean()
    assert wrap <= max(steps) and wrap < 3 * np.median(steps)


def test_dead_pieces_drift_and_come_back_in_a_loop():
    token, time = DEAD
    c = clip(token=token, time=time, idle=40)
    assert c.life.stage == "Dead" and not c.still.nodes
    assert not np.array_equal(c.frame(0), c.frame(5))  # they move
    assert np.array_equal(c.frame(40), c.frame(0))  # and the drift is periodic
    first = c.scene(0).particles.nodes[0]
    later = c.scene(10).particles.nodes[0]
    assert 0 < math.dist((first.x, first.y), (later.x, later.y)) < 10 * SPEED[1] + 1e-9


def test_the_sweep_moves_left_to_right_with_sparks_near_its_front():
    c = clip(idle=2, sweep=True)
    t = c.timeline
    per_layer = t.animation.sweep_frames_per_layer
    fade = fade_frames(t.animation.spark_interval)
    sweep = [k for k in range(t.length) if t.phase(k) == "sweep"]
    fronts = [t.options(k).sweep for k in sweep]
    assert fronts[0] == 0.0 and fronts == sorted(fronts) and fronts[-1] == t.columns - 1
    assert fronts.index(t.columns - 1) == (t.columns - 1) * per_layer
    column = dict(t.live)
    lit = 0
    for k in sweep:
        o = t.options(k)
        for nid, phase, _ in o.spark_phases:
            # lit within one column of the front when it fired, phase * fade frames ago
            assert abs(column[nid] - o.sweep) <= 1.0 + phase * fade / per_layer + 1e-9
            lit += 1
    assert lit > len(sweep)


def test_particles_replay_the_portable_stream_in_the_documented_order():
    token, time = DEAD
    traits = sample_traits(SEED, token)
    life = traits_life_state(traits, from_values(time, 1).time, tables=TABLES)

    def at(k):
        return build_scene(traits, traits.hidden_sizes, life, None, FrameOptions(index=k))

    sizes = [1, *traits.hidden_sizes, 1]
    total = sum(math.ceil(n / 4) for n in sizes) + sum(
        math.floor(1.5 * a * b + 0.5) for a, b in zip(sizes, sizes[1:], strict=False)
    )
    stream = key("particles", SEED, token, life.rebirths)
    r = PortableRandom(stream)
    perm = r.permutation(total)  # first the show order ...
    draws = [[r.random() for _ in range(DRAWS_PER_PIECE)] for _ in range(total)]  # ... then 13 each
    shown = math.floor((1 - life.stage_ratio) * total + 0.5)
    ids = {n.id for n in at(0).particles.nodes}
    nodes = sum(math.ceil(n / 4) for n in sizes)
    assert ids == {f"p{i}" for i in range(nodes) if perm[i] < shown}
    before = {n.id: n for n in at(0).particles.nodes}
    after = {n.id: n for n in at(1).particles.nodes}
    for nid, n0 in before.items():
        d = draws[int(nid[1:])]
        heading, speed = 2 * math.pi * d[10], SPEED[0] + (SPEED[1] - SPEED[0]) * d[11]
        n1 = after[nid]
        step = (n1.x - n0.x, n1.y - n0.y)
        assert step == pytest.approx((speed * math.cos(heading), speed * math.sin(heading)))
        assert (n1.angle - n0.angle) % (2 * math.pi) == pytest.approx(
            (SPIN * (2 * d[12] - 1)) % (2 * math.pi)
        )
    block = portable_uniforms(stream, total - 1 + DRAWS_PER_PIECE * total)
    assert list(block[total - 1 :]) == [v for d in draws for v in d]


def test_timeline_refuses_an_empty_idle_phase():
    with pytest.raises(ValueError, match="idle"):
        Timeline(SEED, 0, 4, animation(1, "Basic"), (), idle=0)
