"""`artgen classify` thinking as a token: its neurons, in its order, at its moment, as its page.

The page is the token's art inscription (`artgen inscription ... --time T`, the standalone
file) run in headless Chromium and given the image through its file input, as a visitor
would; its answer is read from `Perceptron.app.result`. Refusals (ORIGINAL.md section 9):
Dead, Rebirth, or a hidden layer with no live neuron.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from artgen.chain import format_time
from artgen.classify import classify_pixels, refusal
from artgen.images import load_image
from artgen.lifecycle import traits_life_state
from artgen.model import load_model
from artgen.tables import default_tables
from artgen.traits import sample_traits
from collection.cli import cli

SEED, TOKEN = 1, 3  # 60 Days (a Perceptron year lasts a day), hidden layers 14-7-14, tanh
TABLES = default_tables()  # the engine's tokens are the Perceptrons collection's
HOUR = 3600.0
START = 1_760_000_000.0


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def moments() -> dict[str, float]:
    """Times in one life of the token: Growing and Decaying at about half growth, Stable,
    Dead, Rebirth, and Growing so early (Decaying so late) that a hidden layer has no live
    neuron yet (left)."""
    traits = sample_traits(SEED, TOKEN)
    found: dict[str, float] = {}
    for hour in range(0, 61 * 24 * 4):
        t = START + hour * HOUR / 4
        life = traits_life_state(traits, t, tables=TABLES)
        half = 0.4 < life.growth < 0.6
        key = {
            ("Growing", True): "growing",
            ("Decaying", True): "decaying",
            ("Stable", False): "stable",
            ("Dead", False): "dead",
            ("Rebirth", False): "rebirth",
        }.get((life.stage, half))
        if life.stage in ("Growing", "Decaying") and refusal(life) is not None:
            key = "unborn" if life.stage == "Growing" else "dying"
        if key and key not in found:
            found[key] = t
    assert set(found) == {"growing", "decaying", "stable", "dead", "rebirth", "unborn", "dying"}
    return found


@pytest.fixture(scope="module")
def token(tmp_path_factory):
    """The token's own trained network, a picture to classify, and the moments of its life."""
    root = tmp_path_factory.mktemp("token")
    model = root / "model.json"
    trained = run("train", "--seed", SEED, "--token", TOKEN, "-o", model)
    assert trained.exit_code == 0, trained.output
    image = root / "pick.png"
    rng = np.random.default_rng(20)
    Image.fromarray(rng.integers(0, 256, (53, 71, 3), dtype=np.uint8)).save(image)
    return {"root": root, "model": model, "image": image, "at": moments()}


def as_token(token, at: float, *extra):
    args = ("--seed", SEED, "--token", TOKEN, "--image", token["image"], "--time", at)
    return run("classify", *args, "--json", *extra)


@pytest.mark.parametrize("stage", ["growing", "stable", "decaying"])
def test_classify_as_a_token_equals_its_page(token, browser, stage):
    at = token["at"][stage]
    cli_run = as_token(token, at, "--model", token["model"])
    assert cli_run.exit_code == 0, cli_run.output
    answer = json.loads(cli_run.stdout)
    page_file = token["root"] / f"{stage}.html"
    built = run(
        "inscription", "--seed", SEED, "--token", TOKEN, "--model", token["model"],
        "--time", at, "-o", page_file,
    )  # fmt: skip
    assert built.exit_code == 0, built.output
    context = browser.new_context(viewport={"width": 480, "height": 480})
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        page.wait_for_function("window.Perceptron && Perceptron.ready")
        page.evaluate("Perceptron.ready")
        page.set_input_files("input[type=file]", str(token["image"]))
        page.wait_for_function("Perceptron.app.result")
        shown = page.evaluate(
            "({p: Perceptron.app.result.probabilities, s: Perceptron.app.life.stage})"
        )
    finally:
        context.close()
    assert shown["s"] == answer["stage"] == stage.capitalize()
    mine = np.array(list(answer["probabilities"].values()))
    assert np.abs(np.array(shown["p"]) - mine).max() < 1e-9
    assert answer["time_iso"] == format_time(at) and answer["token"] == TOKEN


def test_the_token_thinks_in_its_own_order_not_index_order(token):
    """At the same growth, the token's neurons answer otherwise than the first neurons."""
    at = token["at"]["growing"]
    mine = json.loads(as_token(token, at, "--model", token["model"]).stdout)
    model = load_model(token["model"])
    life = traits_life_state(sample_traits(SEED, TOKEN), at, model.hidden_sizes, tables=TABLES)
    want = classify_pixels(model, load_image(token["image"], 32, 32), life.neuron_life)
    got = np.array(list(mine["probabilities"].values()))
    assert np.abs(got - list(want.probabilities.values())).max() < 1e-12
    indexed = run(
        "classify", "--model", token["model"], "--image", token["image"],
        "--growth", mine["growth"], "--json",
    )  # fmt: skip
    first = json.loads(indexed.stdout)["probabilities"]
    assert max(abs(first[k] - mine["probabilities"][k]) for k in first) > 1e-3


def test_without_a_model_the_token_thinks_with_its_own_trained_network(token):
    at = token["at"]["stable"]
    own = as_token(token, at)
    given = as_token(token, at, "--model", token["model"])
    assert own.exit_code == 0, own.output
    assert "training token 3's own network" in own.stderr
    assert json.loads(own.stdout)["probabilities"] == json.loads(given.stdout)["probabilities"]
    assert json.loads(own.stdout)["model"] == "trained"


@pytest.mark.parametrize(
    ("stage", "words"),
    [
        ("dead", "it is Dead"),
        ("rebirth", "it is being reborn"),
        ("unborn", "it is Growing and hidden layer"),
        ("dying", "it is Decaying and hidden layer"),
    ],
)
def test_a_token_that_cannot_think_refuses_in_one_line_with_exit_2(token, stage, words):
    card = token["root"] / f"card-{stage}.png"
    result = as_token(token, token["at"][stage], "--model", token["model"], "--card", card)
    assert result.exit_code == 2
    assert result.stdout == "" and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("artgen classify: error: Perceptron #3 (seed 1) at ")
    assert "cannot classify" in lines[0] and words in lines[0]
    assert not card.exists()


def test_growth_is_for_a_bare_model_and_a_token_needs_seed_and_token(token):
    image, model = token["image"], token["model"]
    mixed = run("classify", "--seed", SEED, "--token", TOKEN, "--image", image, "--growth", 0.5)
    assert mixed.exit_code == 2 and "--growth is for a bare --model" in mixed.stderr
    half = run("classify", "--seed", SEED, "--image", image, "-m", model)
    assert half.exit_code == 2 and "--seed and --token together" in half.stderr
    bare_time = run("classify", "-m", model, "--image", image, "--time", START)
    assert bare_time.exit_code == 2 and "need a token" in bare_time.stderr
    bare = run("classify", "-m", model, "--image", image, "--growth", 0.5, "--json")
    assert bare.exit_code == 0 and json.loads(bare.stdout)["growth"] == 0.5


def test_a_token_card_shows_the_token_and_says_where_it_went(token):
    card = token["root"] / "card.png"
    result = as_token(token, token["at"]["stable"], "--model", token["model"], "--card", card)
    assert result.exit_code == 0, result.output
    assert f"wrote {card} (the card, " in result.stderr
    with Image.open(card) as im:
        assert im.size == (1024, 1024)


# ---- a token of a minted collection ----------------------------------------------------------


@pytest.fixture(scope="module")
def minted(tmp_path_factory):
    from mint_configs import mint_once, tiny_config

    return mint_once(tmp_path_factory, "think", tiny_config("Thinking", size=3, seed=4))


def test_a_collection_token_thinks_with_its_model_at_the_collections_moment(minted, token):
    root = minted.root
    image = token["image"]
    mine = run("classify", "--collection", root, "--token", 2, "--image", image, "--json")
    assert mine.exit_code == 0, mine.output
    answer = json.loads(mine.stdout)
    moment = json.loads((root / ".artgen" / "run.json").read_text())["chain"]["time"]
    same = run(
        "classify", "--seed", 4, "--token", 2, "-m", root / "models" / "2.json",
        "--time", moment, "--image", image, "--json",
    )  # fmt: skip
    assert answer == {**json.loads(same.stdout), "model": str(root / "models" / "2.json")}
    assert answer["time"] == moment
    unborn = run("classify", "--collection", root, "--token", 2, "--image", image, "--time", 0)
    assert unborn.exit_code == 2 and "has no live neuron yet" in unborn.stderr  # before birth


def test_a_collection_token_must_exist_and_takes_no_seed(minted, token):
    image = token["image"]
    beyond = run("classify", "--collection", minted.root, "--token", 3, "--image", image)
    assert beyond.exit_code == 2 and "expected a token in 0..2" in beyond.stderr
    seeded = run(
        "classify", "--collection", minted.root, "--token", 1, "--seed", 4, "--image", image
    )
    assert seeded.exit_code == 2 and "its seed is the collection's" in seeded.stderr
