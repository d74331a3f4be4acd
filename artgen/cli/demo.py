"""`artgen demo`: the main job on the embedded defaults, as far as the engine goes."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import atomic
from ..chain import DEFAULT_CHAIN_STATE, format_time
from ..lifecycle import traits_life_state
from ..traits import sample_range

DEMO_SEED = "perceptrons-demo"
DEMO_TOKENS = 12


@click.command()
@click.option("--out", "out", type=click.Path(file_okay=False), default="demo-output", show_default=True,
              help="Folder for the demo's output.")
def demo(out):
    """Run the main job on the embedded defaults and say where the output is."""
    out_dir = Path(out)
    chain = DEFAULT_CHAIN_STATE
    click.echo(f"Perceptrons demo: seed {DEMO_SEED!r}, {DEMO_TOKENS} tokens, block time "
               f"{format_time(chain.time)}, fee rate {chain.fee_rate} sat/vB")
    rows = []
    for traits in sample_range(DEMO_SEED, 0, DEMO_TOKENS):
        state = traits_life_state(traits, chain.time)
        rows.append({**traits.to_json(), "lifecycle": state.to_json()})
        click.echo(
            f"  #{traits.token:<3} {traits.palette:<13} {traits.architecture:<17} {traits.activation:<9} "
            f"{'-'.join(map(str, traits.hidden_sizes)):<28} {state.stage:<8} {state.active_label:>9}"
        )
    atomic.write_text(out_dir / "tokens.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    click.echo(f"\nTraits, architectures and lifecycles: {out_dir / 'tokens.jsonl'}")
