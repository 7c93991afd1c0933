"""What the plotting scripts of benchmarks/experiments share: writing a figure atomically."""
import pathlib


def save(fig, out: str) -> None:
    """Writes FIG to OUT (PNG) through a temporary file, so a killed run never leaves half an image; prints the path."""
    path = pathlib.Path(out)
    fig.tight_layout()
    tmp = path.with_suffix(".tmp.png")
    fig.savefig(tmp, dpi=110)
    tmp.replace(path)
    print(f"wrote {path}")
