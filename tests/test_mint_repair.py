"""A damaged collection, minted again: what is missing or corrupt is made again and said, and
the collection ends as an uninterrupted mint left it (verify passes, the same manifest)."""

from __future__ import annotations

import os
import shutil

import pytest
from click.testing import CliRunner
from mint_configs import tiny_config

from collection.cli import cli
from collection.mint import mint_collection, verify

CONFIG = tiny_config("Repair", size=3, seed=9)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """(a finished collection, its config, its manifest's bytes), minted without a hitch."""
    folder = tmp_path_factory.mktemp("repair")
    config = folder / "c.toml"
    config.write_text(CONFIG, encoding="utf-8")
    os.environ["ARTGEN_CACHE"] = str(folder / "cache")
    try:
        result = mint_collection(folder / "ref", config=config, workers=1, progress=False)
    finally:
        del os.environ["ARTGEN_CACHE"]
    return result.root, config, (result.root / "manifest.json").read_bytes()


@pytest.fixture
def damaged(reference, tmp_path, monkeypatch):
    root, config, _ = reference
    monkeypatch.setenv("ARTGEN_CACHE", str(config.parent / "cache"))
    copy = tmp_path / "coll"
    shutil.copytree(root, copy)
    return copy


def flip(path, at: int = 100) -> None:
    """Corrupt one byte, keeping the size (only a hash sees it)."""
    data = bytearray(path.read_bytes())
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


def truncate(path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def mint_again(root, config, *options):
    return mint_collection(root, config=config, workers=1, progress=False, **dict(options))


def test_deleted_truncated_and_corrupt_files_are_made_again(reference, damaged):
    _, config, manifest = reference
    (damaged / "images/0.png").unlink()
    truncate(damaged / "thumbnails/1.png")
    flip(damaged / "models/2.json")  # the same size: found because something else was
    (damaged / "metadata/0.json").unlink()
    flip(damaged / "contact-sheet.png", at=200)
    truncate(damaged / "ord/batches.json")
    assert len(verify(damaged)) == 6
    result = mint_again(damaged, config)
    assert result.status == "repaired" and result.minted == 3
    assert result.repaired == (
        "contact-sheet.png: sha256 differs from the manifest",
        "images/0.png: missing",
        "metadata/0.json: missing",
        "models/2.json: sha256 differs from the manifest",
        truncated(reference[0] / "ord/batches.json"),
        truncated(reference[0] / "thumbnails/1.png"),
    )
    assert verify(damaged) == []
    assert (damaged / "manifest.json").read_bytes() == manifest
    assert mint_again(damaged, config, ("check_hashes", True)).status == "already minted"


def truncated(path) -> str:
    """What the repair says of the file at `path` (of the reference) cut to half its size."""
    size = path.stat().st_size
    return f"{path.parent.name}/{path.name}: size {size // 2} bytes, manifest says {size}"


def test_same_size_corruption_alone_takes_check_hashes(reference, damaged):
    _, config, manifest = reference
    flip(damaged / "models/1.json")
    assert mint_again(damaged, config).status == "already minted"  # sizes only: all agree
    assert [p.path for p in verify(damaged)] == ["models/1.json"]
    result = mint_again(damaged, config, ("check_hashes", True))
    assert result.repaired == ("models/1.json: sha256 differs from the manifest",)
    assert verify(damaged) == [] and (damaged / "manifest.json").read_bytes() == manifest


def test_a_deleted_manifest_is_written_again_and_token_files_checked_by_their_records(
    reference, damaged
):
    _, config, manifest = reference
    (damaged / "manifest.json").unlink()
    truncate(damaged / "images/1.png")
    result = mint_again(damaged, config)
    assert result.status == "repaired"
    said = "\n".join(result.repaired)
    assert "manifest.json: missing" in said and "images/1.png: size" in said
    assert verify(damaged) == []
    assert (damaged / "manifest.json").read_bytes() == manifest


def test_a_lost_token_record_remakes_that_token(reference, damaged):
    _, config, manifest = reference
    (damaged / ".artgen/tokens/1.json").unlink()
    (damaged / "models/1.json").unlink()
    result = mint_again(damaged, config)
    assert result.status == "repaired" and result.minted == 1
    assert verify(damaged) == [] and (damaged / "manifest.json").read_bytes() == manifest


def test_the_command_says_what_it_repaired(reference, damaged):
    _, config, manifest = reference
    (damaged / "images/2.png").unlink()
    flip(damaged / "models/0.json")
    run = CliRunner().invoke(
        cli, ["mint", "--config", str(config), "-o", str(damaged), "--check-hashes"]
    )
    assert run.exit_code == 0, run.output
    assert "repaired: 3 tokens (2 made now)" in run.output
    assert "repaired 2 files: images/2.png: missing; models/0.json: sha256 differs" in run.output
    run = CliRunner().invoke(cli, ["verify", str(damaged)])
    assert run.exit_code == 0, run.output
    assert (damaged / "manifest.json").read_bytes() == manifest
