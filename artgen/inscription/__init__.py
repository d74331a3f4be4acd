"""The art inscription: a Perceptron as HTML that runs its network and draws it in the browser.

`engine_js()` is the shared engine script (inscribed once), `token_html(...)` a token's small
HTML that loads it and its model by inscription id, `standalone_html(...)` one self-contained
file, and `artgen.inscription.serve` serves a minted collection as an ord server would.
"""

from .build import (
    ID_PATTERN,
    TOKEN_HTML_LIMIT,
    engine_data,
    engine_js,
    placeholder_id,
    rewrite_ids,
    standalone_html,
    token_html,
    traits_config,
    with_data,
)

__all__ = [
    "ID_PATTERN",
    "TOKEN_HTML_LIMIT",
    "engine_data",
    "engine_js",
    "placeholder_id",
    "rewrite_ids",
    "standalone_html",
    "token_html",
    "traits_config",
    "with_data",
]
