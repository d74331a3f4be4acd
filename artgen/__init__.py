"""artgen: train, render, animate and mint collections of Perceptrons."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("artgen")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"
