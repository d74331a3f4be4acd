"""CliRunner tests of `artgen traits` and `artgen lifecycle`, and the CLI's error contract."""

from __future__ import annotations

import json

from click.testing import CliRunner

from artgen import __version__
from artgen.cli import cli
from artgen.tables import TRAIT_NAMES
from artgen.traits import sample_traits


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_version_and_help():
    assert __version__ in run("--version").output
    result = run("--help")
    assert result.exit_code == 0
    for command in ("traits", "lifecycle", "classify", "chain"):
        assert command in result.output
        assert run(command, "--help").exit_code == 0


def test_traits_json_keys_are_the_published_names():
    result = run("traits", "--seed", "7", "--token", "3", "--json")
    assert result.exit_code == 0, result.output
    obj = json.loads(result.output)
    assert list(obj) == ["token", "seed", *TRAIT_NAMES, "hidden_layers"]
    assert obj["seed"] == 7 and obj["token"] == 3
    assert obj == sample_traits(7, 3).to_json()


def test_traits_range_prints_one_object_per_line():
    result = run("traits", "--seed", "genesis", "--tokens", "5..9")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert [json.loads(line)["token"] for line in lines] == [5, 6, 7, 8, 9]
    assert json.loads(lines[0])["seed"] == "genesis"


def test_traits_human_readable():
    result = run("traits", "--seed", "7", "--token", "3")
    assert "Color Palette" in result.output and "Hidden layer sizes" in result.output


def test_lifecycle_json_at_an_iso_time_and_at_unix_seconds():
    iso = run(
        "lifecycle", "--seed", "7", "--token", "3", "--time", "2019-06-01T00:00:00Z", "--json"
    )
    unix = run("lifecycle", "--seed", "7", "--token", "3", "--time", "1559347200", "--json")
    assert iso.exit_code == 0, iso.output
    a, b = json.loads(iso.output), json.loads(unix.output)
    assert a == b
    for key in (
        "stage",
        "age",
        "rebirths",
        "growth",
        "stage_ratio",
        "neuron_life",
        "next_stage_time",
        "next_stable_time",
    ):
        assert key in a
    assert a["stage"] in ("Growing", "Stable", "Decaying", "Dead", "Rebirth")
    assert [len(layer) for layer in a["neuron_life"]] == list(sample_traits(7, 3).hidden_sizes)


def test_lifecycle_defaults_to_the_embedded_chain_state():
    result = run("lifecycle", "--seed", "7", "--token", "3")
    assert result.exit_code == 0 and "stage" in result.output


def test_bad_input_is_one_line_and_exit_code_two():
    for args in (
        ("lifecycle", "--seed", "7", "--token", "3", "--time", "yesterday"),
        ("traits", "--seed", "7"),
        ("traits", "--seed", "7", "--tokens", "9..2"),
        ("traits", "--token", "2"),
        ("lifecycle", "--seed", "1", "--token", "-4"),
    ):
        result = run(*args)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
        assert result.output.startswith(f"artgen {args[0]}: error:")


# --- classify -------------------------------------------------------------------------

FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures"
REFERENCE = FIXTURES / "artblocks_classifier_model.json"


def write_image(path, size=(40, 30), seed=0):
    import numpy as np
    from PIL import Image

    pixels = np.random.default_rng(seed).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path)
    return pixels


def test_classify_json_matches_the_forward_pass(tmp_path):
    import numpy as np
    from PIL import Image

    from artgen.model import forward, load_model

    image = tmp_path / "in.png"
    write_image(image)
    result = run("classify", "--model", str(REFERENCE), "--image", str(image), "--json")
    assert result.exit_code == 0, result.output
    obj = json.loads(result.output)
    model = load_model(REFERENCE)
    resized = np.asarray(
        Image.open(image).convert("RGB").resize((28, 28), Image.Resampling.BILINEAR)
    )
    expected = forward(model, resized)[0]
    assert list(obj["probabilities"]) == list(model.classes)
    assert np.allclose(list(obj["probabilities"].values()), expected, atol=1e-12)
    assert obj["top"] == model.classes[int(np.argmax(expected))]
    assert obj["phrase"] in (
        "I have a feeling",
        "I have a hunch",
        "I think",
        "I'm almost certain",
        "I'm positive",
    )


def test_classify_at_growth_zero_answers_the_output_bias(tmp_path):
    import numpy as np

    from artgen.model import load_model, softmax

    a, b = tmp_path / "a.png", tmp_path / "b.bmp"
    write_image(a, seed=1)
    write_image(b, seed=2)
    answers = [
        json.loads(
            run(
                "classify", "--model", str(REFERENCE), "--image", str(p), "--growth", "0", "--json"
            ).output
        )
        for p in (a, b)
    ]
    assert answers[0] == answers[1]
    bias = load_model(REFERENCE).dense[-1].bias.astype(np.float64)
    assert np.allclose(
        list(answers[0]["probabilities"].values()), softmax(bias[None])[0], atol=1e-12
    )


def test_classify_human_readable_sentence(tmp_path):
    image = tmp_path / "in.png"
    write_image(image)
    result = run("classify", "--model", str(REFERENCE), "--image", str(image))
    assert result.exit_code == 0 and "this image belongs to" in result.output


def test_classify_bad_files_are_one_line_exit_two(tmp_path):
    image = tmp_path / "in.png"
    write_image(image)
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"not an image")
    broken = tmp_path / "m.json"
    broken.write_text('{"model_name": 1}')
    for args in (
        ("--model", str(REFERENCE), "--image", str(junk)),
        ("--model", str(broken), "--image", str(image)),
        ("--model", str(tmp_path / "missing.json"), "--image", str(image)),
        ("--model", str(REFERENCE), "--image", str(image), "--growth", "2"),
    ):
        result = run("classify", *args)
        assert result.exit_code == 2, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert "junk.png" in run("classify", "--model", str(REFERENCE), "--image", str(junk)).output
    assert "m.json" in run("classify", "--model", str(broken), "--image", str(image)).output


def test_confidence_phrases_follow_the_spec():
    from artgen.classify import confidence_phrase

    assert [confidence_phrase(c) for c in (0.1, 0.2, 0.39, 0.5, 0.79, 0.8, 1.0)] == [
        "I have a feeling",
        "I have a hunch",
        "I have a hunch",
        "I think",
        "I'm almost certain",
        "I'm positive",
        "I'm positive",
    ]


def test_installed_version_is_the_package_constant():
    """pyproject.toml takes its version from artgen.__version__: the two never disagree."""
    from importlib.metadata import version

    assert version("artgen") == __version__
