"""The rarity audit: planted biases are flagged, fair collections are not, ranks match a hand
calculation, exact mode has no deviation, duplicates are found, and the CLI writes the report."""

from __future__ import annotations

import csv
import dataclasses
import json
import math

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw

from artgen.tables import TRAIT_NAMES, with_overrides
from collection.audit import (
    COLOR_DISTANCE,
    audit,
    audit_minted,
    audit_sampler,
    fingerprint,
    from_sampler,
    hamming,
    holm,
    identical_sets,
    near_duplicates,
    phash,
    rarity_scores,
)
from collection.cli import cli
from collection.config import dump_config, load_config
from collection.sampling import collection_traits


def portrait(token: int, paper: str = "#ffffff") -> Image.Image:
    """A small deterministic still: circles placed by the token id on a paper colour."""
    rng = np.random.default_rng(token)
    im = Image.new("RGB", (64, 64), paper)
    draw = ImageDraw.Draw(im)
    for _ in range(6):
        x, y = rng.integers(0, 56, 2).tolist()
        r = int(rng.integers(4, 14))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.integers(0, 255, 3).tolist()))
    return im


def write_minted(root, config, traits, images=True):
    """A minted collection folder as the minter writes it: config, metadata, stills."""
    (root / "metadata").mkdir(parents=True)
    (root / "images").mkdir()
    (root / "collection.toml").write_text(dump_config(config), "utf-8")
    for t in traits:
        meta = {
            "name": f"{config.name} #{t.token}",
            "description": config.description,
            "image": f"images/{t.token}.png",
            "attributes": [{"trait_type": k, "value": v} for k, v in t.attributes().items()],
            "seed": config.seed,
        }
        (root / "metadata" / f"{t.token}.json").write_text(json.dumps(meta), "utf-8")
        if images:
            portrait(t.token).save(root / "images" / f"{t.token}.png")
    return root


def biased_input(size: int, seed: int, weights: list[float]):
    """Sampler tokens drawn with other Paper Pattern weights, audited against the defaults."""
    fair = load_config(size=size, seed=seed)
    tables = with_overrides({"Paper Pattern": {"weights": weights}}, source="test")
    return dataclasses.replace(from_sampler(dataclasses.replace(fair, tables=tables)), config=fair)


def test_a_planted_bias_is_flagged_and_only_that_trait():
    # Plain 26% instead of 20%: over 3000 tokens that is 180 tokens too many.
    result = audit(biased_input(3000, 11, [26, 37, 37]))
    assert result.flagged == ("Paper Pattern",)
    pattern = next(t for t in result.traits if t.name == "Paper Pattern")
    assert pattern.p_value < 0.01
    plain = pattern.values[0]
    assert plain.value == "Plain" and plain.expected == pytest.approx(600.0)
    assert plain.deviation > 100


def test_an_unbiased_collection_is_not_flagged():
    result = audit(from_sampler(load_config(size=3000, seed=11)))
    assert result.flagged == ()
    assert all(t.p_value is not None and t.p_value >= 0.01 for t in result.traits)
    assert [t.name for t in result.traits] == list(TRAIT_NAMES)


def test_exact_mode_has_zero_deviation(tmp_path):
    path = tmp_path / "exact.toml"
    path.write_text('[collection]\nsize = 1000\nseed = 5\nrarity = "exact"\n', "utf-8")
    result = audit_sampler(path)
    assert result.flagged == ()
    assert all(v.deviation == 0 for t in result.traits for v in t.values)
    assert result.largest_deviation()["deviation"] == 0
    assert all(t.reason == "every count equals its quota" for t in result.traits)


def test_exact_mode_flags_any_count_off_its_quota(tmp_path):
    config = load_config(size=60, seed=2)
    config = dataclasses.replace(config, rarity="exact")
    traits = collection_traits(config)
    # Move one token from its palette to another: two counts now miss their quotas by one.
    other = next(p for p in config.tables["Color Palette"].values if p != traits[0].palette)
    traits[0] = dataclasses.replace(traits[0], palette=other)
    result = audit_minted(write_minted(tmp_path / "c", config, traits, images=False))
    assert result.flagged == ("Color Palette",)
    assert "differ from their quotas" in result.traits[0].reason


def test_ranks_match_a_hand_calculation_of_five_tokens():
    # Two traits over five tokens: Hat x x x y y, Eyes p p q q r.
    # Shares: x 3/5, y 2/5; p 2/5, q 2/5, r 1/5.
    # -log2: x 0.736966, y 1.321928, p = q 1.321928, r 2.321928.
    # Entropy: Hat 0.6*0.736966 + 0.4*1.321928 = 0.970951;
    #          Eyes 2*0.4*1.321928 + 0.2*2.321928 = 1.521928; collection 2.492879.
    # Information: t0 = t1 = t2 = (0.736966 + 1.321928) / 2.492879 = 0.825910,
    #              t3 = (1.321928 + 1.321928) / 2.492879 = 1.060564,
    #              t4 = (1.321928 + 2.321928) / 2.492879 = 1.461706 (r is unique to t4).
    # rarity.tools (sum of 1/p): t0..t2 = 5/3 + 5/2 = 4.1667, t3 = 2.5 + 2.5 = 5,
    #                            t4 = 2.5 + 5 = 7.5.
    # Ranks, 1 = rarest, "min" ties: t4 1, t3 2, t0 t1 t2 all 3.
    hat = np.array([0, 0, 0, 1, 1])
    eyes = np.array([0, 0, 1, 1, 2])
    s = rarity_scores([hat, eyes])
    assert s.entropy == pytest.approx(2.492879, abs=1e-6)
    assert s.information == pytest.approx(
        [0.825910, 0.825910, 0.825910, 1.060564, 1.461706], abs=1e-6
    )
    assert s.rarity_tools == pytest.approx([25 / 6, 25 / 6, 25 / 6, 5.0, 7.5])
    assert s.information_rank.tolist() == [3, 3, 3, 2, 1]
    assert s.rarity_tools_rank.tolist() == [3, 3, 3, 2, 1]
    assert s.unique_traits.tolist() == [0, 0, 0, 0, 1]
    assert s.spearman == pytest.approx(1.0)


def test_unique_values_come_first_and_the_methods_can_disagree():
    # Six tokens, three traits. Shares and -log2: 1/6 2.584963, 1/3 1.584963, 1/2 1, 2/3 0.584963.
    # Hat   b b b a a b   (a 1/3, b 2/3)        entropy 0.918296
    # Eyes  2 0 2 2 0 2   (0 1/3, 2 2/3)        entropy 0.918296
    # Mouth 1 2 2 2 0 0   (1 1/6, 2 1/2, 0 1/3) entropy 1.459148; collection 3.295740
    # Information (sum of -log2 / 3.295740):
    #   t0 0.584963 + 0.584963 + 2.584963 = 3.754889 -> 1.139316 (Mouth 1 is unique to t0)
    #   t1 0.584963 + 1.584963 + 1        = 3.169925 -> 0.961825
    #   t2 0.584963 + 0.584963 + 1        = 2.169925 -> 0.658403
    #   t3 1.584963 + 0.584963 + 1        = 3.169925 -> 0.961825
    #   t4 1.584963 * 3                   = 4.754888 -> 1.442738
    #   t5 0.584963 + 0.584963 + 1.584963 = 2.754888 -> 0.835894
    # OpenRarity ranks tokens with a unique value first: t0 1, then t4 2, t1 t3 3, t5 5, t2 6.
    # rarity.tools (1/p: 6, 3, 2, 1.5): t0 9, t1 6.5, t2 5, t3 6.5, t4 9, t5 6
    #   -> t0 t4 1, t1 t3 3, t5 5, t2 6.
    # Spearman (ties averaged): x = 1 3.5 6 3.5 2 5, y = 1.5 3.5 6 3.5 1.5 5, both mean 3.5;
    #   sum dx dy = 16.5, sum dx^2 = 17, sum dy^2 = 16.5 -> rho = sqrt(16.5 / 17) = 0.985184.
    hat = np.array([1, 1, 1, 0, 0, 1])
    eyes = np.array([2, 0, 2, 2, 0, 2])
    mouth = np.array([1, 2, 2, 2, 0, 0])
    s = rarity_scores([hat, eyes, mouth])
    expected = [1.139316, 0.961825, 0.658403, 0.961825, 1.442738, 0.835894]
    assert s.information == pytest.approx(expected, abs=1e-6)
    assert s.information_rank.tolist() == [1, 3, 6, 3, 2, 5]
    assert s.rarity_tools == pytest.approx([9, 6.5, 5, 6.5, 9, 6])
    assert s.rarity_tools_rank.tolist() == [1, 3, 6, 3, 1, 5]
    assert s.spearman == pytest.approx(math.sqrt(16.5 / 17), abs=1e-9)


def test_identical_trait_sets_and_near_identical_portraits(tmp_path):
    config = load_config(size=12, seed=4)
    traits = collection_traits(config)
    traits[7] = dataclasses.replace(traits[3], token=7)  # a planted duplicate trait set
    root = write_minted(tmp_path / "c", config, traits)
    # Token 9's still is token 2's, resized and re-encoded: the same portrait to a viewer.
    portrait(2).resize((80, 80), Image.Resampling.BILINEAR).save(root / "images" / "9.png")
    result = audit_minted(root)
    assert result.identical == ((3, 7),)
    assert [(a, b) for a, b, _ in result.near] == [(2, 9)]
    assert result.hashed == 12


def test_near_identical_needs_a_close_phash_and_the_same_colours():
    a, b = portrait(1), portrait(2)
    assert hamming(phash(a), phash(a.resize((200, 200)))) <= 2
    assert hamming(phash(a), phash(b)) > 10
    recoloured = portrait(1, paper="#f0f0a0")  # the same shapes on a yellow paper
    prints = {
        0: fingerprint(a),
        1: fingerprint(b),
        2: fingerprint(a.resize((50, 50))),
        3: fingerprint(recoloured),
    }
    shade = max(abs(x - y) for x, y in zip(prints[0].color, prints[3].color, strict=True))
    assert shade > COLOR_DISTANCE
    assert [(x, y) for x, y, _ in near_duplicates(prints)] == [(0, 2)]
    # its structure hashes the same: only the colour check keeps it apart
    assert hamming(prints[0].phash, prints[3].phash) <= 2
    assert (0, 3) in [(x, y) for x, y, _ in near_duplicates(prints, color=255)]


def test_stills_fall_back_to_the_thumbnails(tmp_path):
    config = load_config(size=4, seed=4)
    root = write_minted(tmp_path / "c", config, collection_traits(config), images=False)
    (root / "thumbnails").mkdir()
    for t in range(3):
        portrait(t).save(root / "thumbnails" / f"{t}.png")
    result = audit_minted(root)
    assert result.hashed == 3
    assert any("1 token has no raster still" in p for p in result.problems)


def test_identical_sets_groups_tokens_by_all_traits():
    codes = [np.array([0, 1, 0, 0]), np.array([2, 2, 2, 1])]
    assert identical_sets(codes, np.array([10, 11, 12, 13])) == [[10, 12]]


def test_cli_audits_a_minted_folder_and_writes_all_reports(tmp_path):
    config = load_config(size=30, seed=8)
    root = write_minted(tmp_path / "c", config, collection_traits(config))
    result = CliRunner().invoke(cli, ["audit", str(root)])
    assert result.exit_code == 0, result.output
    assert "traits flagged: none" in result.output
    out = root / "report"  # the report site (collection.report), with the audit as data
    assert {"index.html", "audit.html", "report.json", "report.csv", "report-traits.csv"} <= {
        p.name for p in out.iterdir()
    }
    data = json.loads((out / "report.json").read_text("utf-8"))
    assert [t["name"] for t in data["traits"]] == list(TRAIT_NAMES)
    assert data["tokens"]["token"] == list(range(30))
    with open(out / "report.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert (
        len(rows) == 30 and rows[0]["Color Palette"] == data["tokens"]["traits"]["Color Palette"][0]
    )
    assert {r["information_rank"] for r in rows} >= {"1"}
    html = (out / "audit.html").read_text("utf-8")
    assert html.count('class="card"') == 20  # 10 rarest and 10 most common


def test_cli_strict_fails_on_a_flagged_trait_with_one_line(tmp_path):
    config = load_config(size=40, seed=8)
    traits = [dataclasses.replace(t, pattern="Plain") for t in collection_traits(config)]
    root = write_minted(tmp_path / "c", config, traits, images=False)
    result = CliRunner().invoke(cli, ["audit", str(root), "--strict", "--out", str(tmp_path / "r")])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == ["artgen audit: 1 trait flagged: Paper Pattern"]
    assert (tmp_path / "r" / "audit.html").is_file()
    relaxed = CliRunner().invoke(cli, ["audit", str(root), "--out", str(tmp_path / "r2")])
    assert relaxed.exit_code == 0


def test_cli_sampler_audit_prints_json(tmp_path):
    args = ["audit", "--size", "500", "--seed", "3", "--out", str(tmp_path), "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["tokens"] == 500 and summary["origin"] == "sampler"
    assert summary["report"]["site"] == str(tmp_path / "index.html")
    assert -1 <= summary["spearman"] <= 1


def test_cli_refuses_a_folder_with_sampler_options_and_a_bad_folder(tmp_path):
    both = CliRunner().invoke(cli, ["audit", str(tmp_path), "--size", "5"])
    assert both.exit_code == 2 and "give a collection DIR" in both.stderr
    missing = CliRunner().invoke(cli, ["audit", str(tmp_path)])
    assert missing.exit_code == 2
    assert "no collection.toml" in missing.stderr and "Traceback" not in missing.output
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", "utf-8")
    unwritable = CliRunner().invoke(cli, ["audit", "--size", "5", "--out", str(blocked / "r")])
    assert unwritable.exit_code == 2 and "cannot write the report" in unwritable.stderr


def test_a_metadata_file_without_a_trait_names_the_file(tmp_path):
    config = load_config(size=3, seed=1)
    root = write_minted(tmp_path / "c", config, collection_traits(config), images=False)
    meta = json.loads((root / "metadata" / "1.json").read_text("utf-8"))
    meta["attributes"] = [a for a in meta["attributes"] if a["trait_type"] != "Dataset"]
    (root / "metadata" / "1.json").write_text(json.dumps(meta), "utf-8")
    result = CliRunner().invoke(cli, ["audit", str(root)])
    assert result.exit_code == 2
    assert "1.json" in result.stderr and "missing traits: Dataset" in result.stderr


def test_values_outside_the_table_flag_the_trait_and_missing_tokens_are_reported(tmp_path):
    config = load_config(size=20, seed=6)
    traits = collection_traits(config)
    traits[5] = dataclasses.replace(traits[5], palette="Neon <b>")
    root = write_minted(tmp_path / "c", config, traits[:18], images=False)
    result = audit_minted(root)
    assert "Color Palette" in result.flagged
    assert "Neon <b>" in result.traits[0].reason
    assert any("2 of 20 tokens have no metadata: 18, 19" in p for p in result.problems)


def test_holm_adjusts_p_values_as_worked_out_by_hand():
    # sorted: 0.005 x 4, 0.01 x 3, 0.03 x 2, 0.04 x 1 = 0.02, 0.03, 0.06, 0.04; never below
    # the one before it, so the last is 0.06 too
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])  # capped at 1
    assert holm([]) == []


def test_holm_flags_a_strong_bias_but_not_one_that_twelve_tests_explain():
    # Plain 22% instead of 20% over 3000 tokens: p = 0.0016, below 1% for one trait, but not
    # once twelve traits are tested (12 x 0.0016 = 0.02); 23% gives p = 8e-6, flagged either way.
    mild, strong = biased_input(3000, 11, [22, 39, 39]), biased_input(3000, 11, [23, 38.5, 38.5])
    assert audit(mild).flagged == ("Paper Pattern",)
    corrected = audit(mild, correction="holm")
    assert corrected.flagged == ()
    pattern = next(t for t in corrected.traits if t.name == "Paper Pattern")
    assert pattern.p_adjusted == pytest.approx(12 * pattern.p_value)
    assert "Holm-adjusted" in pattern.reason and corrected.summary()["correction"] == "holm"
    assert audit(strong, correction="holm").flagged == ("Paper Pattern",)


def test_cli_holm_changes_what_strict_fails_on(tmp_path):
    fair = load_config(size=3000, seed=11)
    tables = with_overrides({"Paper Pattern": {"weights": [22, 39, 39]}}, source="test")
    mild = collection_traits(dataclasses.replace(fair, tables=tables))
    root = write_minted(tmp_path / "c", fair, mild, images=False)
    plain = CliRunner().invoke(cli, ["audit", str(root), "--strict", "--out", str(tmp_path / "a")])
    assert plain.exit_code == 1
    assert plain.stderr.strip() == "artgen audit: 1 trait flagged: Paper Pattern"
    args = ["audit", str(root), "--strict", "--holm", "--json", "--out", str(tmp_path / "b")]
    holm_run = CliRunner().invoke(cli, args)
    assert holm_run.exit_code == 0, holm_run.output
    summary = json.loads(holm_run.stdout)
    assert summary["correction"] == "holm" and summary["flagged"] == []
    with open(tmp_path / "b" / "report-traits.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    pattern = [r for r in rows if r["trait"] == "Paper Pattern"]
    adjusted, p_value = float(pattern[0]["p_adjusted"]), float(pattern[0]["p_value"])
    assert adjusted == pytest.approx(12 * p_value, rel=1e-5)  # six significant digits
    assert {r["flagged"] for r in rows} == {"False"}
    page = (tmp_path / "b" / "audit.html").read_text("utf-8")
    assert "no trait flagged (on Holm-adjusted p-values)" in page
