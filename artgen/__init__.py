"""artgen: train, render, animate and mint collections of Perceptrons."""

# The one place the version is written: pyproject.toml reads it from here (a constant, not a
# lookup in the installed metadata, which costs every command ~40 ms of importlib.metadata).
__version__ = "0.1.0"
