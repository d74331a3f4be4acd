"""Builders of the art inscription: the shared engine, each token's HTML, the standalone file.

The engine reads the same tables, palettes and constants as the Python engine. Its source is
the ES modules in `engine/`; `make engine` (tools/build-engine.mjs) bundles and minifies them
into the committed `engine.min.js`, which holds one mark, `DATA_MARK`. `engine_data()`
collects the data from the Python modules and `engine_js()` writes it in place of the mark, so
no number is spelled out twice and minting needs no JavaScript tools. A token's HTML names the
engine and its model by inscription id; before inscription those are placeholders in ord's
form (`placeholder_id`), which `rewrite_ids` replaces with the real ones.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources

import palettes

from .. import __version__
from ..animation import card, pace
from ..chain import ACCELERATION_FRAMES, DEFAULT_CHAIN_STATE, ChainState
from ..classify import CERTAIN, PHRASES
from ..lifecycle import DAY, GROWTH_EXPONENT, LIFE_YEARS, STAGE_STARTS, STAGES
from ..model import KEYS, LAYER_CLASSES, MAX_SIDE, MAX_UNITS
from ..model_encoding import WEIGHT_ENCODINGS
from ..network import ACTIVATIONS, LEAKY_SLOPE
from ..scene import DYNAMIC_LAYERS, LAYERS, SIDE, STATIC_LAYERS, build, layout, particles
from ..tables import TRAIT_NAMES, Tables, default_tables
from ..traits import NODE_FILLS, NODE_SHAPES, Traits

#: The one mark the built engine leaves for the data (an unknown global name in engine/data.js,
#: so the minifier keeps it as written).
DATA_MARK = "__ARTGEN_DATA__"
#: The built engine (`make engine`), packaged with artgen.
ENGINE_FILE = "engine.min.js"
#: ord's inscription id: the reveal transaction id (64 hex digits), "i", the index.
ID_PATTERN = re.compile(r"[0-9a-f]{64}i[0-9]+")
#: Frames per second of the browser's animation clock (reveal, sparks, sweep, drift).
BROWSER_FPS = 25  # the previews' default (collection/default.toml)
#: Each token's HTML must stay within this many bytes (issue: "2 kB or less").
TOKEN_HTML_LIMIT = 2048


def _template(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text("utf-8")


#: What the engine read before the Python scene followed ORIGINAL.md (glows, pulses, the old
#: dust and paper). It keeps the current engine.js running until its port to the new rules
#: (artgen.scene, artgen.animation.pace and .card) removes these; nothing in Python reads them.
LEGACY_ENGINE = {
    "dot_radius": 1.75,
    "dot_opacity": 0.55,
    "grid_opacity": 0.22,
    "r_small": 1.0 / 30.0,
    "r_large": 1.0,
    "spark_glow": 0.9,
    "sweep_glow": 0.7,
    "sweep_line": 2.0,
    "halo_stops": [[0.0, 0.8], [0.4, 0.3], [1.0, 0.0]],
    "glow_radius": 1.6,
    "pulse_speed": 1.25,
    "pulse_length": 0.3,
    "pulse_opacity": 0.9,
    "pulse_width": 2.0,
    "fade_frames": [4, 10],
    "sweep_reach": 1.0,
    "draws_per_piece": 13,
    "segment_length": [0.15, 0.4],
    "scatter": 68.0,
    "tilt": 0.7,
    "speed": [0.35, 1.4],
    "spin": 0.012,
    "clearance": 6.0,
    "other_classes": 3,
}


def engine_data(tables: Tables | None = None) -> dict:
    """The tables, palettes and constants the engine reads (all from the Python modules)."""
    tables = tables or default_tables()
    constants = {
        **LEGACY_ENGINE,
        "side": SIDE,
        "border": layout.BORDER,
        "frame_width": layout.FRAME_WIDTH,
        "pattern_start": layout.PATTERN_START,
        "dot_spacing": layout.DOT_SPACING,
        "dot_radius_px": layout.DOT_RADIUS_PX,
        "dot_stroke": layout.DOT_STROKE,
        "grid_spacing": layout.GRID_SPACING,
        "grid_width": layout.GRID_WIDTH,
        "max_drawn_nodes": layout.MAX_DRAWN_NODES,
        "rho_range": list(layout.RHO_RANGE),
        "node_stroke": list(layout.NODE_STROKE),
        "line_width": list(layout.LINE_WIDTH),
        "dash_base": list(layout.DASH_BASE),
        "min_dash": layout.MIN_DASH,
        "line_opacity": build.LINE_OPACITY,
        "layers": list(LAYERS),
        "static_layers": list(STATIC_LAYERS),
        "dynamic_layers": list(DYNAMIC_LAYERS),
        "dust_node_share": particles.NODE_SHARE,
        "dust_segment_factor": particles.SEGMENT_FACTOR,
        "dust_node_size": list(particles.NODE_SIZE),
        "dust_segment_length": list(particles.SEGMENT_LENGTH),
        "dust_speed": list(particles.SPEED),
        "dust_turn": list(particles.TURN),
        "dust_stroke": particles.STROKE,
        "dust_wall": particles.WALL,
        "dust_draws": [particles.NODE_DRAWS, particles.SEGMENT_DRAWS],
        "original_fps": pace.ORIGINAL_FPS,
        "sat_fee": list(pace.SAT_FEE),
        "blink_frames": list(pace.BLINK_FRAMES),
        "flicker_seconds": pace.FLICKER_SECONDS,
        "card_overlay": card.OVERLAY,
        "node_shapes": NODE_SHAPES,
        "node_fills": NODE_FILLS,
        "stages": list(STAGES),
        "stage_starts": list(STAGE_STARTS),
        "life_years": LIFE_YEARS,
        "growth_exponent": GROWTH_EXPONENT,
        "day": DAY,
        "leaky_slope": LEAKY_SLOPE,
        "activations": list(ACTIVATIONS),
        "layer_classes": list(LAYER_CLASSES),
        "model_keys": list(KEYS),
        "weight_encodings": list(WEIGHT_ENCODINGS),
        "max_side": MAX_SIDE,
        "max_units": MAX_UNITS,
        "phrases": [list(p) for p in PHRASES],
        "certain": CERTAIN,
        "acceleration_frames": {k: list(v) for k, v in ACCELERATION_FRAMES.items()},
        "fps": BROWSER_FPS,
    }
    chain = DEFAULT_CHAIN_STATE
    return {
        "version": __version__,
        "constants": constants,
        "trait_names": list(TRAIT_NAMES),
        "palettes": {
            p.name: [p.paper, p.pattern, *p.stops] for p in palettes.all_palettes().values()
        },
        "life_cycle_days": dict(tables.life_cycle_days),
        "history": {str(year): line for year, line in tables.birth_year_history},
        "chain": [chain.time, chain.height, chain.fee_rate],
    }


def with_data(script: str) -> str:
    """A built engine `script` with `engine_data()` written in place of its `DATA_MARK`.

    Refuses a script without exactly one mark, and a result that could end the <script>
    element it is inlined in.
    """
    if script.count(DATA_MARK) != 1:
        raise ValueError(f"the built engine must hold {DATA_MARK!r} exactly once")
    data = json.dumps(engine_data(), ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    filled = script.replace(DATA_MARK, data)
    lowered = filled.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise ValueError("the engine must not hold '</script' or '<!--' (it is inlined in HTML)")
    return filled


@cache
def engine_js() -> str:
    """The inscribed engine: the built `engine.min.js` with the Python engine's data in it."""
    return with_data(_template(ENGINE_FILE).rstrip("\n"))


def placeholder_id(content: bytes, index: int = 0) -> str:
    """A stand-in inscription id in ord's form, from the content hash: sha256 hex, "i", index."""
    return f"{hashlib.sha256(content).hexdigest()}i{int(index)}"


def script_json(value: object) -> str:
    """JSON safe inside an HTML <script> element (no '<', '>' or '&' left to end it)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def traits_config(traits: Traits, tables: Tables) -> dict:
    """What a token's HTML embeds: seed, token and the twelve traits, hidden sizes, and the
    length of its year in days from its collection's `tables`."""
    values = list(traits.attributes().values())
    return {
        "t": [str(traits.seed), traits.token, *values],
        "h": list(traits.hidden_sizes),
        "y": _number(tables.days_per_year(traits.life_cycle)),
    }


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


def fill_template(template: str, token: int, **parts: str) -> str:
    """A packaged HTML template with its {{marks}} filled in (the title names the token)."""
    page = _template(template).strip() + "\n"
    fields = {"title": html.escape(f"Perceptron #{token}"), **parts}
    # one pass, so text inserted for one field is never searched for another's mark
    return re.sub(r"\{\{(\w+)\}\}", lambda m: fields[m.group(1)], page)


def token_html(traits: Traits, *, engine_id: str, model_id: str, tables: Tables) -> str:
    """A token's art inscription: its traits, then the engine and model by inscription id."""
    for name, value in (("engine_id", engine_id), ("model_id", model_id)):
        if not ID_PATTERN.fullmatch(value):
            raise ValueError(
                f"{name}: expected an inscription id (64 hex, 'i', index), got {value!r}"
            )
    config = {"m": model_id, **traits_config(traits, tables)}
    return fill_template("token.html", traits.token, config=script_json(config), engine=engine_id)


def standalone_html(
    traits: Traits,
    model_json: str | bytes,
    chain: ChainState | None = None,
    *,
    pinned: bool | None = None,
    tables: Tables,
) -> str:
    """One file with the engine and the model inside, for previews and single-file marketplaces.

    With a `chain` the portrait is pinned to it (no recursion requests); without one the page
    asks ord's /r/ endpoints when it is served by ord, else uses the embedded default.
    """
    text = model_json.decode("utf-8") if isinstance(model_json, bytes) else model_json
    state = chain or DEFAULT_CHAIN_STATE
    config = {**traits_config(traits, tables), "c": [state.time, state.height, state.fee_rate]}
    if (chain is not None) if pinned is None else pinned:
        config["x"] = 1
    if not all(math.isfinite(v) for v in config["c"]):
        raise ValueError("chain state: expected finite numbers")
    model = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return fill_template(
        "standalone.html", traits.token, config=script_json(config), model=model, engine=engine_js()
    )


def rewrite_ids(text: str, ids: Mapping[str, str]) -> str:
    """`text` with every inscription id found in `ids` (placeholder -> real id) replaced."""
    return ID_PATTERN.sub(lambda m: ids.get(m.group(0), m.group(0)), text)
