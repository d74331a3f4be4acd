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
