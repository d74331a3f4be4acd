"""The demo: the packaged demo collection (collection/demo.toml), minted into a folder."""

from __future__ import annotations

import json
import os
from importlib import resources

from . import layout
from .run import MintResult, mint_collection


def mint_demo(
    out: str | os.PathLike, workers: int | None = None, progress: bool = True
) -> MintResult:
    """Mint (or resume) the demo collection into `out` (`progress`: the bar on stderr)."""
    with resources.as_file(resources.files("collection").joinpath("demo.toml")) as config:
        return mint_collection(out, config=config, workers=workers, progress=progress)


def showcase_demo(result: MintResult):
    """The demo's extras: token 0 through its life and at work, and the rarity audit (the
    report site the minter wrote holds it in full)."""
    from collection.audit import audit_minted
    from collection.audit import summary_lines as audit_lines
    from collection.config import load_config
    from collection.sampling import collection_traits
    from collection.showcase import write_showcase

    config = load_config(result.root / layout.CONFIG_FILE)
    showcase = write_showcase(
        result.root, collection_traits(config)[0], config.moment.chain_state(), tables=config.tables
    )
    paths = {"site": result.report} if result.report is not None else {}
    return showcase, audit_lines(audit_minted(result.root), paths), paths


def demo_lines(result: MintResult) -> list[str]:
    """Where everything of a minted demo is, for a person to open."""
    root = result.root
    report = json.loads((root / layout.BATCHES).read_text("utf-8"))
    batches = [b["file"] for b in report["batches"] if b["status"] == "pending"]
    rows = [
        ("stills", "images/<token>.png"),
        ("thumbnails", "thumbnails/<token>.png"),
        ("models (data inscriptions)", "models/<token>.json"),
        ("metadata (OpenSea style)", "metadata/<token>.json"),
        ("Ordinals collection", f"{layout.INSCRIPTIONS}, {layout.COLLECTION_META}"),
        (
            "ord batches",
            (f"{batches[0]} .. {batches[-1]}" if len(batches) > 1 else batches[0])
            + f" ({len(batches)} ready), {layout.BATCHES}"
            if batches
            else "none",
        ),
        ("contact sheet", layout.CONTACT_SHEET),
        ("manifest", f"{layout.MANIFEST} (check with: artgen verify {root})"),
        ("config", f"{layout.CONFIG_FILE} (resolved; re-mint with --config)"),
    ]
    kinds = sorted({p.suffix for p in (root / "previews").glob("*")})
    if kinds:
        rows.insert(1, ("previews", ", ".join(f"previews/<token>{k}" for k in kinds)))
    width = max(len(name) for name, _ in rows)
    return [*result.summary_lines(), "", f"Everything is in {root}/:"] + [
        f"  {name:<{width}}  {where}" for name, where in rows
    ]
