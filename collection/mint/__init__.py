"""The collection minter: every token's model, stills, previews and metadata, then the
collection's Ordinals files, ord batches, contact sheet and manifest.

    mint_collection(out, config=..., workers=..., scheduler=...)  mint, resume or refresh
    verify(root)                                                 files that fail the manifest
    upgrade_token(root, token, model_path)                       a token gets a new model
    record_inscriptions(root, outputs)                           real ids from ord's output
"""

from .contact import DEFAULT_GROUP
from .inscribe import record_inscriptions
from .manifest import Problem, build_manifest, verify
from .run import MintResult, mint_collection
from .upgrade import upgrade_token

__all__ = [
    "DEFAULT_GROUP",
    "MintResult",
    "Problem",
    "build_manifest",
    "mint_collection",
    "record_inscriptions",
    "upgrade_token",
    "verify",
]
