"""Builders of the art inscription: the shared engine, each token's HTML, the standalone file.

The engine reads the same tables, palettes and constants as the Python engine. Its source is
the ES modules in `engine/`; `make engine` (tools/build-engine.mjs) bundles and minifies them
into the committed `engine.min.js`, which holds one mark, `DATA_MARK`. `engine_data()` (in
`data`) collects the data from the Python modules and `engine_js()` writes it in place of the
mark, so no number is spelled out twice and minting needs no JavaScript tools. A token's HTML
names the engine and its model by inscription id; before inscription those are placeholders in
ord's form (`placeholder_id`), which `rewrite_ids` replaces with the real ones.
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

from ..chain import DEFAULT_CHAIN_STATE, ChainState
from ..tables import Tables
from ..traits import Traits
from .data import engine_data

#: The one mark the built engine leaves for the data (an unknown global name in engine/data.js,
#: so the minifier keeps it as written).
DATA_MARK = "__ARTGEN_DATA__"
#: The built engine (`make engine`), packaged with artgen.
ENGINE_FILE = "engine.min.js"
#: ord's inscription id: the reveal transaction id (64 hex digits), "i", the index.
ID_PATTERN = re.compile(r"[0-9a-f]{64}i[0-9]+")
#: Each token's HTML must stay within this many bytes (issue: "2 kB or less").
TOKEN_HTML_LIMIT = 2048


def _template(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text("utf-8")


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
