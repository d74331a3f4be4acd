"""Keras's Adam on the trainer's flat parameter vector: one fused C pass per step.

The network keeps every kernel and bias in one flat vector and every gradient in another
(`artgen.training.network`), so a step updates m, v and all parameters at once in
`artgen.training._mlp`, whatever the number of layers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .kernels import _mlp, precision


@dataclass(frozen=True)
class AdamSettings:
    """Keras defaults: learning rate 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-7."""

    learning_rate: float = 1e-3
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-7


class Adam:
    """Adam as Keras implements it (epsilon added to the uncorrected sqrt(v)), on flat vectors.

    `step` takes the gradient times any factor (`grad_scale`: the trainer passes the batch sum,
    batch x the mean's gradient). One fused pass per step updates m, v and the parameters.
    """

    def __init__(
        self,
        size: int,
        settings: AdamSettings = AdamSettings(),
        dtype=np.float32,
        grad_scale: float = 1.0,
    ):
        self.settings = settings
        self.grad_scale = grad_scale
        self.dtype = np.dtype(dtype)
        self.m = np.zeros(size, dtype)
        self.v = np.zeros(size, dtype)
        self.steps = 0
        self._state = (self.m.ctypes.data, self.v.ctypes.data)
        self._vectors: tuple = (None, None)  # the (params, grad) whose addresses are kept
        self._addresses = (0, 0)

    def step(self, params: np.ndarray, grad: np.ndarray, grad_scale: float | None = None) -> None:
        """One update of `params` in place from `grad` = grad_scale x the loss gradient."""
        s, t = self.settings, self.dtype.type
        self.steps += 1
        r = 1.0 / (self.grad_scale if grad_scale is None else grad_scale)
        alpha = s.learning_rate * math.sqrt(1 - s.beta2**self.steps) / (1 - s.beta1**self.steps)
        if params is not self._vectors[0] or grad is not self._vectors[1]:  # kept addresses
            precision(params, grad, self.m)
            if not params.shape == grad.shape == self.m.shape or not grad.flags.c_contiguous:
                raise ValueError(f"expected contiguous vectors of {self.m.size} values")
            if not params.flags.c_contiguous:
                raise ValueError("expected contiguous parameters")
            self._vectors = (params, grad)
            self._addresses = (params.ctypes.data, grad.ctypes.data)
        _mlp.adam(
            self.dtype.itemsize,
            *self._addresses,
            *self._state,
            self.m.size,
            t(r),
            t(1 - s.beta1),
            t(1 - s.beta2),
            t(alpha),
            t(s.epsilon),
        )
