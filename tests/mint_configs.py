"""Small collection configs for the minter's tests: a few tokens, 8 x 8 images, 256 px stills."""


def tiny_config(name: str, size: int, seed: int, image_size: int = 8, extra: str = "") -> str:
    """A collection config that mints in seconds: 40 images per class, PNG stills only."""
    return f"""
[collection]
name = "{name}"
size = {size}
seed = {seed}
[dataset]
image_size = [{image_size}, {image_size}]
per_class = 40
[render]
sizes = [256]
formats = ["png"]
thumbnail_size = 64
{extra}"""


def mint_once(tmp_path_factory, name: str, text: str):
    """Mint `text` once into a fresh folder (one worker, its own dataset cache)."""
    import pytest

    from collection.mint import mint_collection

    folder = tmp_path_factory.mktemp(name)
    config = folder / f"{name}.toml"
    config.write_text(text, encoding="utf-8")
    from ord_batches import check_ord_batches

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ARTGEN_CACHE", str(folder / "cache"))
        result = mint_collection(folder / "out", config=config, workers=1, progress=False)
    check_ord_batches(result.root)
    return result
