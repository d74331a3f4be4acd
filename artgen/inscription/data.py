"""What the art's engine reads from Python: tables, palettes, and every constant of its rules.

The engine's JavaScript (artgen/inscription/engine/) follows the same rules as the Python
scene, animation and card; their numbers and sentences live once, in the Python modules, and
`engine_data()` hands them to the engine (`build.with_data` writes them into the inscribed
script). The keys are the engine's names for them.
"""

from __future__ import annotations

import palettes

from .. import __version__
from ..animation import brain_icon, card, pace
from ..chain import ACCELERATION_FRAMES, DEFAULT_CHAIN_STATE
from ..classify import CERTAIN, PHRASES
from ..lifecycle import DAY, GROWTH_EXPONENT, LIFE_YEARS, ORDER_SEED_STEP, STAGE_STARTS, STAGES
from ..model import KEYS, LAYER_CLASSES, MAX_SIDE, MAX_UNITS
from ..model_encoding import WEIGHT_ENCODINGS
from ..network import ACTIVATIONS, LEAKY_SLOPE
from ..scene import LAYERS, SIDE, build, layout, particles
from ..tables import TRAIT_NAMES, Tables, default_tables
from ..traits import NODE_FILLS, NODE_SHAPES


def _scene() -> dict:
    """ORIGINAL.md sections 1-5, 11 and 12: layout, paper, ghosts, dust, refusals."""
    return {
        "side": SIDE,
        "layers": list(LAYERS),
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
        "placeholder": build.PLACEHOLDER,
        "refusal_words": dict(build.REFUSAL_WORDS),
        "dust_node_share": particles.NODE_SHARE,
        "dust_segment_factor": particles.SEGMENT_FACTOR,
        "dust_node_size": list(particles.NODE_SIZE),
        "dust_segment_length": list(particles.SEGMENT_LENGTH),
        "dust_speed": list(particles.SPEED),
        "dust_turn": list(particles.TURN),
        "dust_stroke": particles.STROKE,
        "dust_wall": particles.WALL,
        "dust_draws": [particles.NODE_DRAWS, particles.SEGMENT_DRAWS],
        "node_shapes": NODE_SHAPES,
        "node_fills": NODE_FILLS,
    }


def _pace() -> dict:
    """ORIGINAL.md sections 6 and 7: the reveal, the blink and the sweep, in 60 Hz frames."""
    return {
        "original_fps": pace.ORIGINAL_FPS,
        "sat_fee": list(pace.SAT_FEE),
        "blink_frames": list(pace.BLINK_FRAMES),
        "flicker_seconds": pace.FLICKER_SECONDS,
        "acceleration_frames": {k: list(v) for k, v in ACCELERATION_FRAMES.items()},
    }


def _rounded(points) -> list[list[float]]:
    """Design coordinates to 1/100 of a unit (the icon is 500 units across): fewer bytes."""
    return [[round(v, 2) for v in p] for p in points]


def _card() -> dict:
    """ORIGINAL.md section 8: the result card's layout in u about the centre, our sentences and
    our brain icon's design (artgen.animation.card and .brain_icon)."""
    return {
        "overlay": card.OVERLAY,
        "size": [card.CARD_W, card.CARD_H],
        "radius": card.CARD_RADIUS,
        "outline": card.CARD_OUTLINE,
        "header": [card.HEADER_H, card.HEADER_ALPHA],
        "mat": [card.MAT, *card.MAT_CENTRE],
        "picture": [card.PICTURE, *card.PICTURE_AT],
        "text_x": card.TEXT_X,
        "lines_y": [card.VERDICT_Y, card.NAME_Y, card.CONFIDENCE_Y],
        "sentence_size": card.SENTENCE_SIZE,
        "name_sizes": [card.NAME_MAX, card.NAME_ONE_LINE, card.NAME_TWO_LINES, card.NAME_SMALLEST],
        "name_box": card.NAME_BOX,
        "name_fit": card.NAME_FIT,
        "references": [card.ONE_WORD_REFERENCE, card.TWO_LINE_REFERENCE],
        "brain": [*card.BRAIN_AT, card.BRAIN_SIDE],
        "info": [card.INFO_TITLE, *card.INFO_AT, card.INFO_SIZE],
        "rows": {
            "y": list(card.ROW_Y),
            "dot_x": card.ROW_DOT_X,
            "text_x": card.ROW_TEXT_X,
            "dot": card.ROW_DOT,
            "size": card.ROW_SIZE,
        },
        "buttons": [list(b) for b in card.BUTTONS],
        "button": [*card.BUTTON_Y, card.BUTTON_RADIUS, card.BUTTON_SIZE, card.BUTTON_LABEL_AT],
        "texts": dict(card.TEXTS),
        "icon": {
            "design": brain_icon.DESIGN,
            "wash": brain_icon.WASH,
            "blot": brain_icon.BLOT,
            "blot_scale": list(brain_icon.BLOT_SCALE),
            "blot_shape": _rounded(brain_icon.BLOT_SHAPE),
            "rim": brain_icon.RIM,
            "fold": brain_icon.FOLD,
            "edge": [list(brain_icon.EDGE[0]), list(brain_icon.EDGE[-1])],
            "lobes": _rounded(brain_icon.LOBES),
            "fissure": brain_icon.FISSURE,
            "folds": [[list(p) for p in fold] for fold in brain_icon.FOLDS],
        },
    }


def engine_data(tables: Tables | None = None) -> dict:
    """The tables, palettes and constants the engine reads (all from the Python modules)."""
    tables = tables or default_tables()
    constants = {
        **_scene(),
        **_pace(),
        "order_seed_step": ORDER_SEED_STEP,
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
    }
    chain = DEFAULT_CHAIN_STATE
    return {
        "version": __version__,
        "constants": constants,
        "card": _card(),
        "trait_names": list(TRAIT_NAMES),
        "palettes": {
            p.name: [p.paper, p.pattern, *p.stops] for p in palettes.all_palettes().values()
        },
        "life_cycle_days": dict(tables.life_cycle_days),
        "chain": [chain.time, chain.height, chain.fee_rate],
    }
