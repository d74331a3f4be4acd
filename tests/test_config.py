"""Collection config: packaged defaults, then the user's file, then flags; errors that say where."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

import collection
from artgen.animation.gif import GIF_FPS
from artgen.chain import parse_time
from artgen.errors import ConfigError
from artgen.limits import EPOCHS, NEURONS
from artgen.tables import CATEGORICAL_KEYS, NUMERIC_KEYS, TABLE_NAMES, default_tables
from collection.config import (
    FORMATS,
    MAX_HIDDEN_LAYERS,
    MIN_NEURONS,
    SCHEMA,
    CollectionConfig,
    config_hash,
    dump_config,
    known_values,
    load_config,
)
from collection.parsers import quoted


def write(tmp_path, text: str, name: str = "c.toml"):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def error_of(tmp_path, text: str) -> str:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    return str(err.value)


def test_defaults_are_the_perceptrons_collection():
    c = load_config()
    assert isinstance(c, CollectionConfig)
    assert (c.name, c.size, c.seed, c.rarity) == ("Perceptrons", 100, 1, "weighted")
    assert c.tables == default_tables()
    assert c.render.formats == ("png", "mp4", "html") and c.render.sizes == (1024,)
    assert (c.render.fps, c.render.seconds) == (25, 4.0)
    assert c.dataset.image_size == (32, 32) and c.dataset.source == "default"
    assert c.moment.time is None and c.moment.chain is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.size = 5  # type: ignore[misc]


def test_file_overrides_defaults_key_by_key_and_flags_override_the_file(tmp_path):
    path = write(
        tmp_path,
        """
[collection]
name = "Night Shift"
size = 500
seed = "midnight"
rarity = "exact"

[render]
formats = ["svg", "mp4"]

[tables."Paper Pattern"]
weights = [10, 45, 45]
""",
    )
    c = load_config(path)
    assert (c.name, c.size, c.seed, c.rarity) == ("Night Shift", 500, "midnight", "exact")
    assert c.description == load_config().description  # untouched keys keep their defaults
    assert c.render.formats == ("svg", "mp4") and c.render.sizes == (1024,)
    assert c.tables["Paper Pattern"].weights == (10.0, 45.0, 45.0)
    assert c.tables["Paper Pattern"].values == ("Plain", "Dotted", "Squared")
    assert c.tables["Dataset"] == default_tables()["Dataset"]
    flagged = load_config(path, size=7, seed=3)
    assert (flagged.size, flagged.seed, flagged.name) == (7, 3, "Night Shift")


def test_a_whole_table_can_be_replaced(tmp_path):
    path = write(
        tmp_path,
        """
[tables."Color Palette"]
values = ["Nak", "Aurora"]
weights = [3, 1]
""",
    )
    assert load_config(path).tables["Color Palette"].probabilities == (0.75, 0.25)


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        ("[collection]\nsize = 0\n", "collection.size", "a whole number from 1 to 100,000 tokens"),
        ('[collection]\nrarity = "even"\n', "collection.rarity", 'one of "weighted", "exact"'),
        ('[render]\nformats = ["png", "jpeg"]\n', "render.formats", '"mp4", "webp", "gif", "html"'),
        ('[render]\nformats = ["png", "png"]\n', "render.formats", "list of distinct values"),
        ("[render]\nsizes = []\n", "render.sizes", "a non-empty list of distinct sizes"),
        ("[dataset]\nimage_size = [32]\n", "dataset.image_size", "2 whole numbers"),
        ('[moment]\ntime = "yesterday"\n', "moment.time", "ISO 8601"),
        ("[ord]\nfee_rate = -1\n", "ord.fee_rate", "a number > 0"),
        # a life is reckoned from the middle of its birth year, in a calendar that ends at 9999
        (
            '[tables."Birth Year"]\nvalues = [1943, 20000]\nweights = [1, 1]\n',
            "tables.Birth Year.values",
            "birth year to be 1 to 9998 years, got 20,000",
        ),
        (
            '[tables."Birth Year"]\nvalues = [-5, 1943]\nweights = [1, 1]\n',
            "tables.Birth Year.values",
            "got -5",
        ),
    ],
)
def test_bad_values_name_the_file_the_field_and_what_was_expected(tmp_path, text, field, expected):
    message = error_of(tmp_path, text)
    assert "c.toml" in message and f"'{field}'" in message and expected in message
    assert "\n" not in message


def test_unknown_keys_and_sections_list_the_known_ones(tmp_path):
    message = error_of(tmp_path, "[collection]\nsiz = 5\n")
    assert "'collection.siz'" in message and "known: name, description, size, seed" in message
    message = error_of(tmp_path, "[rendering]\nsizes = [64]\n")
    assert (
        "'rendering'" in message and "collection, dataset, render, moment, ord, tables" in message
    )


def test_table_errors_name_the_table_field(tmp_path):
    message = error_of(tmp_path, '[tables."Paper Patern"]\nweights = [1, 1, 1]\n')
    assert "'tables.Paper Patern'" in message and "Paper Pattern" in message
    message = error_of(tmp_path, '[tables."Paper Pattern"]\nweight = [1, 1, 1]\n')
    assert "'tables.Paper Pattern.weight'" in message and "known: values, weights" in message
    message = error_of(tmp_path, '[tables."Paper Pattern"]\nweights = [1, 1]\n')
    assert "'tables.Paper Pattern.weights'" in message and "expected 3 weights" in message


def test_palette_names_must_exist(tmp_path):
    text = '[tables."Color Palette"]\nvalues = ["Nak", "Neon"]\nweights = [1, 1]\n'
    message = error_of(tmp_path, text)
    assert "'tables.Color Palette.values'" in message and "unknown palette 'Neon'" in message
    assert "Whitepaper" in message  # the known palettes are listed


def test_values_the_engine_cannot_draw_are_refused(tmp_path):
    text = '[tables."Activation Function"]\nvalues = ["ReLU", "GELU"]\nweights = [1, 1]\n'
    assert "unknown value 'GELU'" in error_of(tmp_path, text)
    assert "at most 15 hidden layers" in error_of(tmp_path, '[tables."Hidden Layers"]\nmax = 20\n')


def test_unreadable_and_invalid_files_are_config_errors(tmp_path):
    assert "not valid TOML" in error_of(tmp_path, "[collection\n")
    with pytest.raises(ConfigError, match="cannot read: no such file"):
        load_config(tmp_path / "missing.toml")


def test_bad_flags_say_they_came_from_the_command_line():
    with pytest.raises(ConfigError, match="command line: field 'collection.size'"):
        load_config(size=0)


def test_config_hash_follows_the_resolved_config_not_the_file(tmp_path):
    spelled_out = write(tmp_path, '[collection]\nname = "Perceptrons"\nsize = 100\n', "a.toml")
    reordered = write(tmp_path, '# same values\n[collection]\nsize = 100\nseed = "1"\n', "b.toml")
    base = config_hash(load_config())
    assert config_hash(load_config(spelled_out)) == base
    assert config_hash(load_config(reordered)) == base  # "1" and 1 name the same seed
    assert config_hash(load_config(seed=2)) != base
    assert len(base) == 64 and int(base, 16) >= 0


def test_dump_config_loads_back_to_the_same_config(tmp_path):
    path = write(
        tmp_path,
        """
[collection]
name = "Déjà \\"vu\\""
seed = "s"
[moment]
time = "2024-11-25T12:00:00Z"
fee_rate = 3.5
[tables."Birth Year"]
values = [1943, 2023]
weights = [1, 2.5]
[tables.life_cycle_days]
"60 Days" = 2
""",
    )
    original = load_config(path)
    again = load_config(write(tmp_path, dump_config(original), "resolved.toml"))
    assert again == original and config_hash(again) == config_hash(original)
    assert again.moment.time == parse_time("2024-11-25T12:00:00Z")
    assert again.tables.days_per_year("60 Days") == 2.0


def test_moment_resolves_to_a_chain_state(tmp_path):
    path = write(tmp_path, '[moment]\ntime = "2024-01-01T00:00:00Z"\nfee_rate = 40\n')
    state = load_config(path).moment.chain_state()
    assert state.time == parse_time("2024-01-01T00:00:00Z") and state.fee_rate == 40.0


def test_relative_dataset_paths_are_relative_to_the_config_file(tmp_path):
    (tmp_path / "sub").mkdir()
    path = write(tmp_path / "sub", '[dataset]\nsource = "../pfp"\nper_class = 20\n')
    c = load_config(path)
    assert c.dataset.source == str(tmp_path / "pfp") and c.dataset.per_class == 20


# --- collection/default.toml against the schema ----------------------------------------------

DEFAULT_TOML = Path(collection.__file__).parent / "default.toml"
KEY_LINE = re.compile(r"^(# )?([a-z_]+) = ")


def documented_keys() -> dict[str, dict[str, tuple[bool, str]]]:
    """section -> key -> (commented out, its "allowed:" text) as default.toml shows them."""
    out: dict[str, dict[str, tuple[bool, str]]] = {}
    section, allowed = "", None
    for line in DEFAULT_TOML.read_text("utf-8").splitlines():
        key = KEY_LINE.match(line)
        if line.startswith("["):
            section, allowed = line.strip("[]"), None
            out[section] = {}
        elif key:
            out[section][key.group(2)] = (bool(key.group(1)), allowed)
            allowed = None
        elif line.startswith("# allowed: "):
            allowed = line[len("# allowed: ") :]
        elif line.startswith("#     ") and allowed is not None:
            allowed += " " + line.strip("# ")  # a continuation line
    return out


def comment_text(section: str) -> str:
    """The comments of one section of default.toml, as one line of text."""
    text = DEFAULT_TOML.read_text("utf-8").split(f"[{section}]\n", 1)[1].split("\n[", 1)[0]
    return " ".join(line.lstrip("#").strip() for line in text.splitlines())


def test_default_toml_lists_every_key_and_what_it_allows():
    """One schema: the config's dataclasses. default.toml shows each key, set (or commented out
    when it is optional) with the values it allows in the words of its parser, which are also
    the words of its error message."""
    shown = documented_keys()
    assert list(shown) == [*SCHEMA, "tables"] and shown["tables"] == {}
    for section, settings in SCHEMA.items():
        assert list(shown[section]) == list(settings), section
        for key, setting in settings.items():
            commented, allowed = shown[section][key]
            assert commented == setting.metadata["optional"], f"{section}.{key}"
            assert allowed == setting.metadata["parse"].expects, f"{section}.{key}"
    formats = shown["render"]["formats"][1]
    assert all(f'"{f}"' in formats for f in FORMATS) and "html" in load_config().render.formats
    rates = ", ".join(map(str, GIF_FPS[:-1])) + f" or {GIF_FPS[-1]} fps"
    assert rates in comment_text("render")


def test_default_toml_lists_every_table_and_every_value_the_engine_knows():
    text = comment_text("tables")
    for name in TABLE_NAMES:
        assert f'"{name}"' in text, name
    assert "keys: " + ", ".join(CATEGORICAL_KEYS) in text
    assert "keys: " + ", ".join(NUMERIC_KEYS) in text
    for name, values in known_values().items():
        assert f'"{name}": {quoted(values)}' in text, name
    assert f'"Hidden Layers" at most {MAX_HIDDEN_LAYERS}' in text
    assert f'"Max Neurons Per Hidden Layer" at least {MIN_NEURONS}' in text
    assert f'at most {NEURONS.high}, "Training Epochs" at most {EPOCHS.high:,}' in text


def test_the_comments_describe_what_the_parsers_refuse(tmp_path):
    """Each "allowed:" text is what a wrong value's error says it expected."""
    for text, field in [
        ('[render]\nformats = ["avif"]\n', "render.formats"),
        ('[moment]\nchain = "https://example.org"\n', "moment.chain"),
        ("[dataset]\nper_class = 0\n", "dataset.per_class"),
    ]:
        section, key = field.split(".")
        assert SCHEMA[section][key].metadata["parse"].expects in error_of(tmp_path, text)


def test_a_gif_frame_rate_is_checked_before_any_work(tmp_path):
    message = error_of(tmp_path, '[render]\nformats = ["gif"]\nfps = 30\n')
    assert "'render.fps'" in message and "50, 25, 20, 10, 5, 4, 2, 1" in message
    assert load_config(write(tmp_path, '[render]\nformats = ["mp4"]\nfps = 30\n')).render.fps == 30


def test_collection_toml_never_holds_a_chain_password(tmp_path):
    source = '[moment]\nchain = "rpc+http://alice:hunter2@127.0.0.1:8332"\n'
    config = load_config(write(tmp_path, source, "c.toml"))
    assert config.moment.chain == "rpc+http://alice:hunter2@127.0.0.1:8332"  # to resolve with
    text = dump_config(config)
    assert "hunter2" not in text and "rpc+http://alice:***@127.0.0.1:8332" in text
