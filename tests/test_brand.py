"""The brand images Home Assistant 2026.3+ serves from custom_components/bluecurrent/brand/.

Names are those Home Assistant's brands integration accepts; sizes, format and trimming follow
the brands repository's image rules. scripts/dev/gen_brand.py draws them.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image
import pytest

BRAND = Path(__file__).resolve().parents[1] / "custom_components" / "bluecurrent" / "brand"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ICONS = ("icon.png", "icon@2x.png", "dark_icon.png", "dark_icon@2x.png")
LOGOS = ("logo.png", "logo@2x.png", "dark_logo.png", "dark_logo@2x.png")


def _open(name: str) -> Image.Image:
    path = BRAND / name
    assert path.read_bytes().startswith(PNG_SIGNATURE), f"{name} is not a PNG file"
    image = Image.open(path)
    image.load()
    return image


def _check_rgba_transparent_trimmed(name: str, image: Image.Image) -> None:
    assert image.format == "PNG"
    assert image.mode == "RGBA", f"{name}: {image.mode}"
    alpha = image.getchannel("A")
    low, high = alpha.getextrema()
    assert low == 0, f"{name} has no transparent pixel"
    assert high == 255, f"{name} has no opaque pixel"
    # Trimmed: something is drawn on every edge, no empty margin.
    assert alpha.getbbox() == (0, 0, image.width, image.height), f"{name} is not trimmed"


def test_exactly_the_files_home_assistant_serves() -> None:
    """Every name the brands integration asks for, nothing it would ignore."""
    assert sorted(p.name for p in BRAND.iterdir()) == sorted(ICONS + LOGOS)


@pytest.mark.parametrize("name", ICONS)
def test_icon(name: str) -> None:
    """Square, 256x256 (512x512 @2x), with transparent rounded corners."""
    image = _open(name)
    size = 512 if "@2x" in name else 256
    assert image.size == (size, size)
    _check_rgba_transparent_trimmed(name, image)
    for corner in ((0, 0), (size - 1, 0), (0, size - 1), (size - 1, size - 1)):
        assert image.getpixel(corner)[3] == 0, f"{name}: corner {corner} is not transparent"
    assert image.getpixel((size // 2, size // 2))[3] == 255


@pytest.mark.parametrize("name", LOGOS)
def test_logo(name: str) -> None:
    """Landscape, shortest side 256 (512 @2x): the largest the rules allow."""
    image = _open(name)
    shortest = 512 if "@2x" in name else 256
    assert image.height == shortest
    assert image.width > 2 * image.height, "a logo with the words beside the icon"
    _check_rgba_transparent_trimmed(name, image)


@pytest.mark.parametrize("theme", ["", "dark_"])
def test_high_dpi_images_are_the_same_pictures_twice_as_large(theme: str) -> None:
    """icon@2x and logo@2x show what icon and logo show, at twice the size."""
    for kind in ("icon", "logo"):
        small = _open(f"{theme}{kind}.png")
        large = _open(f"{theme}{kind}@2x.png")
        assert abs(large.width - 2 * small.width) <= 2
        assert large.height == 2 * small.height
        shrunk = large.resize(small.size, Image.Resampling.LANCZOS)
        diff = [
            abs(a - b)
            for pa, pb in zip(shrunk.getdata(), small.getdata(), strict=True)
            for a, b in zip(pa, pb, strict=True)
        ]
        assert sum(diff) / len(diff) < 8, f"{theme}{kind}@2x differs from {theme}{kind}"


def test_dark_logo_words_are_light() -> None:
    """The dark theme's wordmark is light (readable on a dark background), the light one dark."""

    def words_brightness(name: str) -> float:
        image = _open(name)
        right = image.crop((image.width // 2, 0, image.width, image.height))
        pixels = [p for p in right.getdata() if p[3] == 255]
        return sum(sum(p[:3]) / 3 for p in pixels) / len(pixels)

    assert words_brightness("logo.png") < 100
    assert words_brightness("dark_logo.png") > 200
