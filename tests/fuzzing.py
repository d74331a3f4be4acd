"""What the fuzz tests share: hypothesis settings, junk JSON values, and broken documents made
from a good one (its tree mutated, its text cut, bytes slipped in, a key twice, nesting too
deep), so each parser sees its own format broken in every way, not only random noise."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def fuzz(examples: int):
    """Deterministic (derandomize) runs of `examples` inputs: CI sees the same cases every run."""
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def huge(n: int) -> int:
    """Small numbers stay; large ones become 10**n (json.dumps cannot write past 4300 digits)."""
    return 10**n if n >= 12 else n


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 1, 3, 4096, 4097, 12, 63, 400, 4000]).map(huge),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["relu", "linear", "Dense", "Flatten", "InputLayer", "softmax", "\ud800"]),
)
JUNK = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def paths(node, prefix=()):
    """Every path (tuple of keys and indices) in a JSON tree."""
    yield prefix
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in items:
        yield from paths(child, (*prefix, key))


def mutate(doc, path, operation, junk):
    """Apply one mutation at `path` of `doc` (in place)."""
    *parents, last = path
    parent = doc
    for key in parents:
        parent = parent[key]
    if operation == "delete":
        del parent[last]
    elif operation == "replace":
        parent[last] = junk
    elif operation == "wrap":
        parent[last] = [parent[last]] if isinstance(junk, list) else {"config": parent[last]}
    elif operation == "add" and isinstance(parent, dict):
        parent[str(junk)[:8]] = junk
    elif operation == "duplicate" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(parent[last]))


#: Smaller junk for the documents' mutations: as varied in kind, quicker to draw.
SMALL_JUNK = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=2), st.dictionaries(st.text(max_size=4), inner, max_size=2)
    ),
    max_leaves=3,
)


def mutations(doc, junk=SMALL_JUNK):
    """Lists of mutations of `doc`'s tree."""
    where = [p for p in paths(doc) if p]
    one = st.tuples(
        st.sampled_from(where),
        st.sampled_from(["delete", "replace", "replace", "wrap", "add", "duplicate"]),
        junk,
    )
    return st.lists(one, min_size=1, max_size=2)


def mutated(doc, changes) -> str:
    """`doc` with `changes` applied (those whose path an earlier one removed are skipped)."""
    out = copy.deepcopy(doc)
    for path, operation, junk in changes:
        try:
            mutate(out, path, operation, junk)
        except (KeyError, IndexError, TypeError):
            pass
    return json.dumps(out, allow_nan=True)


def twice(doc: dict, key: str) -> str:
    """`doc`'s JSON text with `key` given a second time (a JSON parser that keeps the last
    value would silently take it)."""
    text = json.dumps(doc)
    return text[:-1] + f", {json.dumps(key)}: {json.dumps(doc[key])}" + "}"


def documents(doc) -> st.SearchStrategy[bytes]:
    """Broken forms of the JSON document `doc`, as the bytes of a file or a reply."""
    text = json.dumps(doc)
    keys = list(doc) if isinstance(doc, dict) else []
    trees = [mutations(doc).map(lambda changes: mutated(doc, changes).encode())] * 2
    return st.one_of(
        *(trees if keys or isinstance(doc, list) else []),
        st.integers(0, len(text)).map(lambda n: text[:n].encode()),
        st.tuples(st.integers(0, len(text)), st.binary(min_size=1, max_size=4)).map(
            lambda p: text.encode()[: p[0]] + p[1] + text.encode()[p[0] :]
        ),
        st.sampled_from(keys or [None]).map(
            lambda key: (twice(doc, key) if key is not None else text).encode()
        ),
        st.integers(60, 3000).map(lambda n: ("[" * n + "]" * n).encode()),
        st.sampled_from(["", "null", "[]", "{}", "NaN", "1e999", "\ufeff{}", "9" * 5000]).map(
            str.encode
        ),
        SMALL_JUNK.map(lambda value: json.dumps(value, allow_nan=True).encode()),
        st.binary(max_size=120),
    )
