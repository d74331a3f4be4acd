"""`artgen demo`: mint the demo collection (collection/demo.toml) and say where everything is."""

from __future__ import annotations

from artgen.cli.command import command
from artgen.cli.options import out_option
from artgen.cli.output import QUIET, status, verbosity


@command()
@out_option("Folder for the demo collection.", folder=True, required=False, default="demo-output")
def demo(out):
    """Mint the demo collection (12 tokens), show one token's life and brain, audit rarity.

    What it made and where goes to stderr, like every command's status (-q hides it).
    """
    from collection.mint.demo import demo_lines, mint_demo, showcase_demo

    result = mint_demo(out, progress=verbosity() > QUIET)
    lines = demo_lines(result)
    showcase, audit, paths = showcase_demo(result)
    root = result.root
    lines += [
        "",
        "Perceptron #0 through one life (Growing, Stable, Decaying, Dead, Rebirth):",
        f"  stills      {showcase.strip.relative_to(root)} and showcase/stage-<stage>.png",
        f"  timelapse   {showcase.timelapse.relative_to(root)}",
        "Its brain at work on images it never saw (and the bundled default model's answers):",
    ]
    for image, model, answer in showcase.answers:
        lines.append(
            f"  {image:<16} {model:<16} {answer.phrase} this image belongs to "
            f"{answer.top} ({answer.confidence:.0%})"
        )
    lines += [
        "  cards       showcase/card-<image>.png, showcase/classifications.json",
        "",
        "Rarity audit:",
        *(f"  {line}" for line in audit),
    ]
    if result.report is not None:
        lines += [
            "",
            "The report (every token, its page, the audit) reads from disk, or served with the",
            f"art running as on chain: artgen serve {root}",
        ]
    status("\n".join(lines))
