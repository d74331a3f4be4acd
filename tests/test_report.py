"""The report site as files: what `artgen report` writes for a minted collection and for a
sampler audit, that it is the same bytes every time (and quicker the second), that it holds
the audit's honest states and every token's page data, that bad input is one line and exit
code 2, and that `artgen audit --json` prints everything or says where the rest is."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner
from mint_configs import mint_once, tiny_config
from PIL import Image
from report_fixtures import fake_collection
from test_audit import write_minted

from artgen.lifecycle import STAGES
from artgen.tables import TRAIT_NAMES
from collection.audit import audit, audit_minted, from_sampler
from collection.cli import cli
from collection.config import load_config
from collection.mint import verify
from collection.report import ReportError, write_site
from collection.report.run import report_collection
from collection.sampling import collection_traits

SIZE = 30


@pytest.fixture(scope="module")
def minted(tmp_path_factory):
    """A 30-token collection as the minter leaves it (made without training)."""
    return fake_collection(tmp_path_factory.mktemp("report") / "c", size=SIZE)


def data_of(path, name="collection"):
    """The value a site data script puts at (or merges into) window.Report[name]."""
    text = path.read_text("utf-8")
    head = f"(self.Report=self.Report||{{}}).{name}="
    assert text.startswith(head) and text.endswith(";\n")
    body = text[len(head) : -2]
    if body.startswith("Object.assign("):
        body = body[body.index("||{},") + 5 : -1]
    return json.loads(body)


def site_files(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_minted_collection_gets_every_page_its_data_and_thumbnail_sheets(minted, tmp_path):
    result, site = report_collection(minted, out=tmp_path / "site")
    folder = site.folder
    for page in ("index.html", "token.html", "audit.html", "live.html"):
        assert (folder / page).is_file()
    data = data_of(folder / "data/collection.js")
    tokens = data["tokens"]
    assert tokens["token"] == list(range(SIZE))
    assert [t["name"] for t in data["traits"]] == list(TRAIT_NAMES)
    metas = [json.loads((minted / f"metadata/{t}.json").read_text()) for t in range(SIZE)]
    assert [STAGES[s] for s in tokens["stage"]] == [m["stage"]["name"] for m in metas]
    assert tokens["hidden"] == [m["hidden_layers"] for m in metas]
    assert tokens["information_rank"] == result.scores.information_rank.tolist()
    assert data["summary"]["cost"]["inscriptions"] > SIZE  # engine, models, HTML
    assert data["thumbs"] == {
        "kind": "sheet",
        "cell": 128,
        "columns": 10,
        "files": ["thumbs/0.webp"],
    }
    with Image.open(folder / "thumbs/0.webp") as sheet:
        assert sheet.size == (1280, 384)  # three rows of ten
        cell = np.asarray(sheet.convert("RGB").crop((128, 0, 256, 128)), dtype=float)
    still = Image.open(minted / "thumbnails/1.png").convert("RGB").resize((128, 128))
    assert np.abs(cell - np.asarray(still, dtype=float)).mean() < 8  # token 1 in cell 1
    details = data_of(folder / "data/tokens-0.js", "details")
    assert sorted(map(int, details)) == list(range(SIZE))
    d = details["5"]
    assert d["curve"]["growth"] == [round(i / 10, 1) for i in range(11)]
    assert len(d["curve"]["accuracy"]) == 11 and d["curve"]["chance"] == 0.25
    assert [a["image"] for a in d["answers"]] == [
        "cryptoadz.png", "cryptopunks.png", "moonbirds.png", "nouns.png"
    ]  # fmt: skip
    assert {a["top"] for a in d["answers"]} <= {"Cryptoadz", "Cryptopunks", "Moonbirds", "Nouns"}
    model, html = d["inscriptions"]["model"], d["inscriptions"]["html"]
    waits_on = data["summary"]["cost"]["waits_on"]
    assert model["status"] == "waiting" and waits_on[model["batch"]] == ["batch-001"]  # the parent
    assert html["status"] == "waiting" and model["batch"] in waits_on[html["batch"]]  # the model
    assert {p.name for p in (folder / "samples").iterdir()} == {a["image"] for a in d["answers"]}
    assert site.files == len(site_files(folder)) - 1  # all but the cache
    assert site.bytes == sum(len(b) for k, b in site_files(folder).items() if k != ".site-cache")


def test_the_site_is_the_same_bytes_every_time_and_reuses_its_curves(minted, tmp_path, monkeypatch):
    report_collection(minted, out=tmp_path / "a")
    first = site_files(tmp_path / "a")

    def no_curves(*args, **kwargs):
        raise AssertionError("a curve was computed again")

    monkeypatch.setattr("artgen.intelligence.intelligence_curve", no_curves)
    report_collection(minted, out=tmp_path / "a")
    assert site_files(tmp_path / "a") == first
    fresh = tmp_path / "b"
    monkeypatch.undo()
    report_collection(minted, out=fresh)
    assert site_files(fresh) == first  # another folder, no cache: the same bytes


def test_the_report_stays_out_of_the_manifest(minted):
    report_collection(minted)
    assert (minted / "report/index.html").is_file()
    assert verify(minted) == []  # report/ is about the collection, not part of it


def test_the_mint_writes_the_report_and_says_where(tmp_path_factory, monkeypatch):
    result = mint_once(tmp_path_factory, "site", tiny_config("Site", 3, 2))
    assert result.report == result.root / "report/index.html" and result.report.is_file()
    assert f"report: {result.report}" in "\n".join(result.summary_lines())
    details = data_of(result.root / "report/data/tokens-0.js", "details")
    model = json.loads((result.root / "metadata/2.json").read_text())["model"]
    assert details["2"]["curve"]["accuracy"][-1] == pytest.approx(model["val_accuracy"], abs=1e-6)
    assert verify(result.root) == []

    # the token jobs measured the curves (in parallel): a site written afresh computes none,
    # and shows what the report computes itself once a record has no curve
    def no_curves(*args, **kwargs):
        raise AssertionError("a curve was computed again")

    with monkeypatch.context() as patched:
        patched.setattr("artgen.intelligence.intelligence_curve", no_curves)
        report_collection(result.root, out=tmp_path_factory.mktemp("fresh"))
    for t in range(3):
        record = result.root / f".artgen/tokens/{t}.json"
        kept = json.loads(record.read_text())
        assert (
            kept["curve"]["sha256"]
            == json.loads((result.root / f"metadata/{t}.json").read_text())["model"]["sha256"]
        )
        record.write_text(json.dumps({k: v for k, v in kept.items() if k != "curve"}))
    own = tmp_path_factory.mktemp("own")
    report_collection(result.root, out=own)
    assert data_of(own / "data/tokens-0.js", "details") == details


def test_a_stale_token_chunk_and_the_old_single_page_report_are_removed(minted, tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "report.html").write_text("the old audit report", "utf-8")
    (out / "data").mkdir()
    (out / "data/tokens-7.js").write_text("stale", "utf-8")
    report_collection(minted, out=out)
    assert not (out / "report.html").exists() and not (out / "data/tokens-7.js").exists()


def test_a_sampler_audit_site_draws_its_portraits_with_the_engine(tmp_path):
    config = load_config(size=40, seed=3)
    result = audit(from_sampler(config))
    site = write_site(result, tmp_path)
    data = data_of(tmp_path / "data/collection.js")
    assert data["thumbs"] == {"kind": "engine"}
    assert data["tokens"]["hidden"] == [list(t.hidden_sizes) for t in collection_traits(config)]
    assert not (tmp_path / "thumbs").exists() and not list((tmp_path / "data").glob("tokens-*"))
    assert "no still" not in (tmp_path / "audit.html").read_text("utf-8")
    assert (tmp_path / "assets/engine.js").is_file() and site.paths["site"].name == "index.html"


def test_audit_states_are_honest_and_a_small_collection_shows_each_card_once(tmp_path):
    config = load_config(size=7, seed=2)
    result = audit_minted(write_minted(tmp_path / "c", config, collection_traits(config)))
    states = {t.name: t.state for t in result.traits}
    assert "not tested" in states.values()
    assert all(
        (s == "not tested") == (t.p_value is None and not t.flagged)
        for t, s in zip(result.traits, states.values(), strict=True)
    )
    rarest, common = result.rarest(), result.most_common()
    assert len(rarest) == 4 and len(common) == 3 and not set(rarest) & set(common)
    site = write_site(result, tmp_path / "site", root=tmp_path / "c")
    page = site.paths["audit"].read_text("utf-8")
    assert page.count('class="card"') == 7
    assert 'data-state="not tested"' in page and '<span class="badge not-tested">' in page


def test_tied_ranks_never_put_a_token_in_both_lists():
    # twenty tokens with the same traits: every rank ties, so only the token id orders them
    data = from_sampler(load_config(size=20, seed=1))
    same = tuple(type(c)(c.name, c.values, np.zeros(20, np.int64), c.known) for c in data.columns)
    result = audit(type(data)(data.config, "sampler", data.tokens, same, {}, ()))
    assert set(result.scores.information_rank.tolist()) == {1}
    rarest, common = result.rarest(), result.most_common()
    assert len(rarest) == len(common) == 10 and not set(rarest) & set(common)


def test_trait_values_are_escaped_in_pages_and_data(tmp_path):
    config = load_config(size=12, seed=5)
    traits = collection_traits(config)
    import dataclasses

    traits[2] = dataclasses.replace(traits[2], pattern="</script><script>alert(1)</script>")
    root = write_minted(tmp_path / "c", config, traits)
    _, site = report_collection(root)
    script = (site.folder / "data/collection.js").read_text("utf-8")
    assert "</script" not in script and "<" not in script
    assert data_of(site.folder / "data/collection.js")["traits"][1]["values"][-1].startswith("</")
    assert "<script>alert" not in site.paths["audit"].read_text("utf-8")


def test_a_site_that_cannot_be_written_is_one_line(minted, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", "utf-8")
    with pytest.raises(ReportError, match="cannot write the report"):
        report_collection(minted, out=blocked / "site")


def test_audit_json_prints_everything_and_the_site_where_it_went(tmp_path):
    args = ["audit", "--size", "300", "--seed", "3", "-o", str(tmp_path), "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["tokens"] == 300 and doc["origin"] == "sampler"
    details = doc["details"]
    assert [t["name"] for t in details["traits"]] == list(TRAIT_NAMES)
    assert {t["state"] for t in details["traits"]} <= {"ok", "flagged", "not tested"}
    assert details["tokens"]["token"] == list(range(300))
    assert doc["report"]["site"] == str(tmp_path / "index.html")
    assert doc["report"]["json"] == str(tmp_path / "report.json")
    quiet = CliRunner().invoke(cli, ["audit", "--size", "30", "--seed", "3", "--json"])
    assert json.loads(quiet.stdout)["report"] is None  # a sampler audit writes only where asked


def test_cli_report_writes_the_site_and_says_where(minted, tmp_path):
    out = tmp_path / "r"
    result = CliRunner().invoke(cli, ["report", str(minted), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out / 'index.html'}\n"  # the data: where the site is
    assert f"artgen serve {minted}" in result.stderr  # the status: how to browse it
    assert (out / "audit.html").is_file()


def test_cli_report_refuses_bad_input_in_one_line(minted, tmp_path):
    empty = CliRunner().invoke(cli, ["report", str(tmp_path)])
    assert empty.exit_code == 2 and "no collection.toml" in empty.stderr
    assert len(empty.stderr.strip().splitlines()) == 1
    broken = tmp_path / "broken"
    import shutil

    shutil.copytree(minted, broken)
    (broken / "ord/batches.json").write_text('{"batches": [', "utf-8")
    result = CliRunner().invoke(cli, ["report", str(broken)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.startswith(f"artgen report: error: {broken / 'ord/batches.json'}: ")
    assert len(result.stderr.strip().splitlines()) == 1
