"""The report's audit: honest trait states, and lists of rarest and most common tokens that
never show a token twice."""

from __future__ import annotations

import numpy as np
from test_audit import write_minted

from collection.audit import audit, audit_minted, from_sampler
from collection.audit.report import report_json
from collection.config import load_config
from collection.sampling import collection_traits


def test_audit_states_are_honest_and_a_small_collection_shows_each_token_once(tmp_path):
    config = load_config(size=7, seed=2)
    result = audit_minted(write_minted(tmp_path / "c", config, collection_traits(config)))
    states = [t.state for t in result.traits]
    assert "not tested" in states
    assert all(
        (s == "not tested") == (t.p_value is None and not t.flagged)
        for t, s in zip(result.traits, states, strict=True)
    )
    assert [t["state"] for t in report_json(result)["traits"]] == states
    rarest, common = result.rarest(), result.most_common()
    assert len(rarest) == 4 and len(common) == 3 and not set(rarest) & set(common)


def test_tied_ranks_never_put_a_token_in_both_lists():
    # twenty tokens with the same traits: every rank ties, so only the token id orders them
    data = from_sampler(load_config(size=20, seed=1))
    same = tuple(type(c)(c.name, c.values, np.zeros(20, np.int64), c.known) for c in data.columns)
    result = audit(type(data)(data.config, "sampler", data.tokens, same, {}, ()))
    assert set(result.scores.information_rank.tolist()) == {1}
    rarest, common = result.rarest(), result.most_common()
    assert len(rarest) == len(common) == 10 and not set(rarest) & set(common)
