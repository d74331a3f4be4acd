"""Training Perceptrons: the original Keras trainer's recipe, in numpy and two C extensions.

One concept per module:

- `config`: what to train (`TrainConfig`), from a token's traits or an original config file;
- `loop`: the training loop (`train`, `train_and_save`), its seeded plan and its reports;
- `network`: the MLP with hand-written backprop on one flat parameter vector;
- `adam`: Keras's Adam on that vector;
- `kernels`: the C extensions (`_thin.c`: the first layer's products; `_mlp.c` and
  `_mlp_kernels.h`: the rest) and numpy's BLAS, pinned to one thread.

The names below are the package's public interface: `from artgen.training import train`.
"""

from .adam import Adam, AdamSettings
from .config import (
    DEFAULT_COLLECTION_NAME,
    DEFAULT_MODEL,
    DEFAULT_MODEL_CONFIG,
    DEFAULT_MODEL_SEED,
    TrainConfig,
    load_config,
    parse_config,
    token_name,
    traits_config,
)
from .kernels import blas_threads
from .loop import (
    INSCRIPTION_LIMIT,
    EpochReport,
    TrainingPlan,
    TrainResult,
    accuracy,
    rescale,
    summary,
    train,
    train_and_save,
    training_plan,
)
from .network import Network

__all__ = [
    "DEFAULT_COLLECTION_NAME", "DEFAULT_MODEL", "DEFAULT_MODEL_CONFIG", "DEFAULT_MODEL_SEED",
    "INSCRIPTION_LIMIT", "Adam", "AdamSettings", "EpochReport", "Network", "TrainConfig",
    "TrainResult", "TrainingPlan", "accuracy", "blas_threads", "load_config", "parse_config",
    "rescale", "summary", "token_name", "train", "train_and_save", "training_plan",
    "traits_config",
]  # fmt: skip
