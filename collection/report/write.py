"""`write_site`: the collection report, a static site written from an audit.

The audit computes; the site renders what it found, with what the collection's files say
about each token (metadata, models, ord status). Every file is written atomically, data first
and pages last; files a previous write left that this one does not make are removed.

    <site>/index.html            the collection: summary, then a grid of every token
    <site>/token.html#t=N        a token: still, live art, traits, rarity, life, brain
    <site>/audit.html            the rarity audit
    <site>/live.html             a token's live art drawn from disk (for file://)
    <site>/assets/               styles, scripts and the art engine
    <site>/data/collection.js    the collection as columns; data/tokens-<k>.js token pages
    <site>/thumbs/<k>.webp       thumbnail sheets (minted collections)
    <site>/samples/<class>.png   the demo's unseen images the tokens answer
    <site>/report.json, report.csv, report-traits.csv   the audit as data
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from artgen.atomic import write_bytes
from artgen.lifecycle import STAGES

from ..audit import Audit
from ..audit.report import report_json, token_table, tokens_csv, traits_csv
from ..mint import layout
from .audit_page import audit_page
from .cache import SiteCache
from .data import collection_data, detail_chunks, sampler_stages, script
from .details import DetailMaker, token_details
from .pages import ASSETS, collection_page, live_page, token_page
from .sheets import write_sheets
from .source import ReportError, cost_summary, read_minted

#: Scripts and styles packaged in collection/report/assets (copied into every site).
ASSET_FILES = ("site.css", "common.js", "collection.js", "token.js", "audit.js", "live.js")
OLD_REPORT = "report.html"  # the single-page report the site replaces


@dataclass(frozen=True)
class Site:
    """What `write_site` wrote: its folder, its pages and data files, and their total size."""

    folder: Path
    paths: dict[str, Path]
    files: int
    bytes: int


def _asset(name: str) -> bytes:
    return resources.files(__package__).joinpath("assets", name).read_bytes()


class _Writer:
    """Atomic writes under the site folder, remembering what was written."""

    def __init__(self, folder: Path):
        self.folder, self.written = folder, {}

    def __call__(self, relative: str, data: str | bytes) -> Path:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        path = write_bytes(self.folder / relative, raw)
        self.written[relative] = len(raw)
        return path


def _minted_parts(result: Audit, site: Path, cache: SiteCache, root: Path, step):
    """Moment, stages, hidden sizes, upgrades, thumbnails, cost and token pages of a mint."""
    from ..showcase import write_samples

    tokens = result.input.tokens.tolist()
    files = read_minted(root, tokens, result.input.config.moment.chain_state)
    metas = [files.metadata[t] for t in tokens]
    # metadata from another minter may lack a stage or hidden sizes: the sampler's then
    missing = [t for t, m in zip(tokens, metas, strict=True) if not _complete(m)]
    stage_of, hidden_of = _sampled(result.input.config, files.moment.time, missing)
    stages = [
        _stage_index(m, root / layout.metadata_path(t)) if _complete(m) else stage_of[t]
        for t, m in zip(tokens, metas, strict=True)
    ]
    hidden = [
        m["hidden_layers"] if _complete(m) else hidden_of[t]
        for t, m in zip(tokens, metas, strict=True)
    ]
    upgraded = [bool(m.get("upgrades")) for m in metas]
    thumbs = write_sheets(site, [result.input.images.get(t) for t in tokens], cache)
    samples = write_samples(site / "samples")
    maker = DetailMaker(result.input.config, files, samples, cache)
    details = token_details(maker, tokens, step)
    links = {"root": Path(os.path.relpath(root, site)).as_posix() + "/"}
    return files.moment, stages, hidden, upgraded, thumbs, cost_summary(files), details, links


def _complete(meta: dict) -> bool:
    return isinstance(meta.get("stage"), dict) and isinstance(meta.get("hidden_layers"), list)


def _sampled(config, time: float, tokens: list[int]) -> tuple[dict, dict]:
    """Stage (index into STAGES) at `time` and hidden sizes of `tokens`, as the sampler makes
    them for `config` (a token beyond its size: Growing, one hidden neuron)."""
    if not tokens:
        return {}, {}
    from ..sampling import collection_traits

    traits = collection_traits(config)
    year = {name: d * 86400.0 for name, d in config.tables.life_cycle_days}
    known = [t for t in tokens if t < len(traits)]
    stages = sampler_stages(
        [traits[t].birth_year for t in known], [year[traits[t].life_cycle] for t in known], time
    )
    stage_of = {t: 0 for t in tokens} | dict(zip(known, stages, strict=True))
    hidden_of = {t: [1] for t in tokens} | {t: list(traits[t].hidden_sizes) for t in known}
    return stage_of, hidden_of


def _stage_index(meta: dict, path: Path) -> int:
    stage = (meta.get("stage") or {}).get("name")
    if stage not in STAGES:
        raise ReportError(f"expected one of {', '.join(STAGES)}", source=str(path), field="stage")
    return STAGES.index(stage)


def _sampler_parts(result: Audit):
    """The sampler's tokens: no files, so their portraits are drawn by the engine in the page."""
    config = result.input.config
    moment = config.moment.chain_state()
    tokens = result.input.tokens.tolist()
    stage_of, hidden_of = _sampled(config, moment.time, tokens)
    stages, hidden = [stage_of[t] for t in tokens], [hidden_of[t] for t in tokens]
    return moment, stages, hidden, [False] * len(tokens), {"kind": "engine"}, None, {}, {}


def write_site(
    result: Audit,
    out: str | os.PathLike,
    root: str | os.PathLike | None = None,
    step: Callable[[], None] | None = None,
) -> Site:
    """Write the site for `result` into `out`; `root` is the minted collection's folder (None
    for a sampler audit); `step` is called as each token's page data is done."""
    site = Path(out)
    try:
        return _write(result, site, None if root is None else Path(root), step)
    except OSError as err:
        raise ReportError(
            f"cannot write the report: {err.strerror or err}", source=str(site)
        ) from None


def _write(result: Audit, site: Path, root: Path | None, step) -> Site:
    cache = SiteCache(site)
    if root is None:
        parts = _sampler_parts(result)
    else:
        parts = _minted_parts(result, site, cache, root, step)
    moment, stages, hidden, upgraded, thumbs, cost, details, links = parts
    data = collection_data(
        result,
        moment=moment,
        stages=stages,
        hidden=hidden,
        upgraded=upgraded,
        thumbs=thumbs,
        cost=cost,
        links=links,
    )
    put = _Writer(site)
    table = token_table(result)
    report = report_json(result, table)
    # the collection folder as the site reaches it, so that the same collection in another
    # folder gives the same site
    origin = "sampler" if root is None else Path(os.path.relpath(root, site)).as_posix()
    report["summary"]["origin"] = data["summary"]["origin"] = origin
    paths = {
        "json": put("report.json", _json(report)),
        "csv": put("report.csv", tokens_csv(result, table)),
        "traits_csv": put("report-traits.csv", traits_csv(result)),
    }
    put("data/collection.js", script("collection", data))
    for k, chunk in detail_chunks(details).items():
        put(f"data/tokens-{k}.js", script("details", chunk, merge=True))
    from artgen.inscription import engine_js

    put(f"{ASSETS}/engine.js", engine_js())
    for name in ASSET_FILES:
        put(f"{ASSETS}/{name}", _asset(name))
    put("live.html", live_page())
    put("token.html", token_page(data["summary"]["name"]))
    paths["audit"] = put("audit.html", audit_page(result, report))
    paths["site"] = put("index.html", collection_page(data))
    _remove_stale(site, put.written)
    cache.save()
    kept = {p.relative_to(site).as_posix() for p in (site / "thumbs").glob("*.webp")}
    kept |= {p.relative_to(site).as_posix() for p in (site / "samples").glob("*.png")}
    sizes = [*put.written.values(), *((site / k).stat().st_size for k in kept)]
    return Site(site, paths, len(sizes), sum(sizes))


def _json(value) -> str:
    import json

    from artgen.jsontext import finite

    return (
        json.dumps(finite(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
    )


def _remove_stale(site: Path, written: dict[str, int]) -> None:
    """Token data chunks this write did not make, and the old single-page report."""
    for path in (site / "data").glob("tokens-*.js"):
        if f"data/{path.name}" not in written:
            path.unlink()
    (site / OLD_REPORT).unlink(missing_ok=True)
