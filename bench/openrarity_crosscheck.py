"""Cross-check the audit's information-content ranks against the `open-rarity` package.

open-rarity pins an old pydantic, so it lives in its own virtualenv (bench/.venv-openrarity,
made on first run with `pip install open-rarity==0.7.5`). A sample collection from the
sampler is dumped to JSON, ranked there by OpenRarity's RarityRanker (numeric traits passed as
strings, so both sides treat them as categories), and compared with `collection.audit` here:
Spearman correlation, how many ranks are equal, and the largest score difference.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from scipy import stats

from collection.audit import audit_sampler, rarity_scores

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv-openrarity"
OUT = HERE / "out" / "openrarity"
PACKAGE = "open-rarity==0.7.5"
SIZE, SEED = 10_000, 1

RANKER = r"""
import json, sys
from open_rarity import Collection, RarityRanker, Token

data = json.load(open(sys.argv[1], encoding="utf-8"))
tokens = [Token.from_erc721("0x0", t["token"], t["attributes"]) for t in data]
ranked = RarityRanker.rank_collection(Collection(tokens=tokens, name="sample"))
out = {str(r.token.token_identifier.token_id): [r.score, r.rank] for r in ranked}
json.dump(out, open(sys.argv[2], "w", encoding="utf-8"))
"""


def ensure_venv() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {VENV.relative_to(HERE.parent)} with {PACKAGE} ...", flush=True)
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
        subprocess.check_call([str(python), "-m", "pip", "install", "-q", PACKAGE])
    return python


def their_ranks(python: Path, name: str, dump: list[dict]) -> tuple[dict, float]:
    """OpenRarity's {token: [score, rank]} for a dumped collection, and the time it took."""
    OUT.mkdir(parents=True, exist_ok=True)
    sample, ranked = OUT / f"{name}.json", OUT / f"{name}-ranked.json"
    sample.write_text(json.dumps(dump, ensure_ascii=False), "utf-8")
    start = time.perf_counter()
    subprocess.check_call([str(python), "-c", RANKER, str(sample), str(ranked)])
    return json.loads(ranked.read_text("utf-8")), time.perf_counter() - start


def compare(python: Path, name: str, tokens: list[int], attributes: list[dict], ours) -> bool:
    dump = [{"token": t, "attributes": a} for t, a in zip(tokens, attributes, strict=True)]
    theirs, elapsed = their_ranks(python, name, dump)
    their_score = np.asarray([theirs[str(t)][0] for t in tokens])
    their_rank = np.asarray([theirs[str(t)][1] for t in tokens])
    rho = stats.spearmanr(ours.information_rank, their_rank).statistic
    equal = int((ours.information_rank == their_rank).sum())
    worst = float(np.max(np.abs(ours.information - their_score)))
    print(f"{name}: {len(tokens)} tokens; open-rarity took {elapsed:.2f} s")
    print(f"  Spearman (our information ranks vs open-rarity ranks): {rho:.6f}")
    print(f"  equal ranks: {equal} of {len(tokens)}; largest score difference: {worst:.3g}")
    return equal == len(tokens)


def main() -> int:
    python = ensure_venv()
    result = audit_sampler(size=SIZE, seed=SEED)
    columns = result.input.columns
    tokens = result.input.tokens.tolist()
    attributes = [{c.name: str(c.values[c.codes[i]]) for c in columns} for i in range(len(tokens))]
    print(f"sampler collection, seed {SEED}, 12 traits as categories (in {VENV.name})")
    ok = compare(python, "sampler", tokens, attributes, result.scores)
    # The six-token example worked out by hand in tests/test_audit.py.
    hand = {"Hat": "bbbaab", "Eyes": "202202", "Mouth": "122200"}
    hand_attrs = [{k: v[i] for k, v in hand.items()} for i in range(6)]
    hand_codes = [np.asarray([ord(ch) for ch in v]) for v in hand.values()]
    ok &= compare(python, "hand example", list(range(6)), hand_attrs, rarity_scores(hand_codes))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
