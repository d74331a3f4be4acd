"""Portrait scenes (SPEC section 6, ORIGINAL.md): pure data from traits, network and life state.

`build_scene(traits, hidden_sizes, life, chain, options)` is the pure builder;
`portrait_scene(traits, chain, hidden_sizes, options, tables=...)` computes the life state
first, with the collection's tables.
The Scene knows nothing of Cairo: `artgen.render` draws it.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..chain import DEFAULT_CHAIN_STATE, ChainState
from ..lifecycle import traits_life_state
from ..tables import Tables
from ..traits import Traits
from .build import FrameOptions, build_scene, classify_refusal, frame_of, live_nodes
from .elements import (
    DYNAMIC_LAYERS,
    LAYERS,
    RGB,
    SIDE,
    STATIC_LAYERS,
    Frame,
    Line,
    Node,
    Particles,
    Pattern,
    Scene,
    canvas_units,
)

__all__ = [
    "DYNAMIC_LAYERS",
    "LAYERS",
    "RGB",
    "SIDE",
    "STATIC_LAYERS",
    "Frame",
    "FrameOptions",
    "Line",
    "Node",
    "Particles",
    "Pattern",
    "Scene",
    "build_scene",
    "canvas_units",
    "classify_refusal",
    "frame_of",
    "live_nodes",
    "portrait_scene",
]


def portrait_scene(
    traits: Traits,
    chain: ChainState | None = None,
    hidden_sizes: Sequence[int] | None = None,
    options: FrameOptions | None = None,
    *,
    tables: Tables,
) -> Scene:
    """The Scene of a token at a chain state (default: the embedded one); its life follows
    its collection's `tables`.

    `hidden_sizes` draws an upgraded model's network in the token's visual traits.
    """
    chain = chain or DEFAULT_CHAIN_STATE
    sizes = tuple(hidden_sizes) if hidden_sizes is not None else traits.hidden_sizes
    life = traits_life_state(traits, chain.time, sizes, tables=tables)
    return build_scene(traits, sizes, life, chain, options)
