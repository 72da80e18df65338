"""Draw the integration's brand images into custom_components/bluecurrent/brand/.

Home Assistant 2026.3 and later show a custom integration's own ``brand/`` images (icon and
logo, light and dark, 1x and 2x). These are an original design, not Blue Current's trademark:
a plug with a charging bolt on a blue tile, and the words "Blue Current" in a plain font.
Sizes follow the brands repository's rules: icons 256x256 (512x512 @2x); logos landscape with
the shortest side 256 (512 @2x), the largest allowed; RGBA PNGs, transparent and trimmed.

Run with a venv that has Pillow: ``.venv/bin/python scripts/dev/gen_brand.py``. The wordmark
uses DejaVu Sans Bold when the system has it, else Pillow's built-in font.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = Path(__file__).resolve().parents[2] / "custom_components" / "bluecurrent" / "brand"
SCALE = 4  # drawn this much larger, then scaled down: smooth edges without an anti-aliaser
FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
)

RGB = tuple[int, int, int]
# (tile top colour, tile bottom colour, mark colour, text colour) for light and dark themes.
THEMES: dict[str, tuple[RGB, RGB, RGB, RGB]] = {
    "": ((30, 136, 229), (13, 71, 161), (255, 255, 255), (13, 71, 161)),
    "dark_": ((66, 165, 245), (21, 101, 192), (255, 255, 255), (227, 242, 253)),
}


def _tile(size: int, top: RGB, bottom: RGB) -> Image.Image:
    """Draw a rounded square with a vertical gradient, transparent outside the corners."""
    gradient = Image.new("RGBA", (1, size))
    for y in range(size):
        t = y / (size - 1)
        r, g, b = (round(c + (d - c) * t) for c, d in zip(top, bottom, strict=True))
        gradient.putpixel((0, y), (r, g, b, 255))
    tile = gradient.resize((size, size))
    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=255)
    tile.putalpha(mask)
    return tile


def _mark(draw: ImageDraw.ImageDraw, size: int, mark: RGB, hole: RGB) -> None:
    """Draw a plug from the side: two prongs, a body with a bolt cut out of it, a cable."""
    u = size / 32  # the drawing is laid out on a 32x32 grid
    white = (*mark, 255)
    for x in (11.5, 18.5):  # prongs
        draw.rounded_rectangle((x * u - 1.2 * u, 5 * u, x * u + 1.2 * u, 11 * u), u, fill=white)
    draw.rounded_rectangle((7 * u, 10 * u, 25 * u, 22 * u), 3 * u, fill=white)  # body
    draw.rounded_rectangle((14.2 * u, 21 * u, 17.8 * u, 28.5 * u), 1.2 * u, fill=white)  # cable
    bolt = [(17.5, 11.5), (11.5, 17.2), (15.3, 17.2), (13.8, 21.0), (20.5, 14.6), (16.6, 14.6)]
    draw.polygon([(x * u, y * u) for x, y in bolt], fill=(*hole, 255))


def icon(theme: str, size: int) -> Image.Image:
    """Draw the square icon: the tile with the plug mark, scaled down to size."""
    top, bottom, mark, _ = THEMES[theme]
    big = size * SCALE
    image = _tile(big, top, bottom)
    # The bolt is cut through the white body, showing the tile's colour at that height.
    r, g, b = (round((x + y) / 2) for x, y in zip(top, bottom, strict=True))
    _mark(ImageDraw.Draw(image), big, mark, (r, g, b))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONTS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def logo(theme: str, height: int) -> Image.Image:
    """Draw the icon and the words "Blue Current" side by side, trimmed, this high."""
    *_, text = THEMES[theme]
    big = height * SCALE
    mark = icon(theme, big)
    font = _font(round(big * 0.5))
    words = "Blue Current"
    left, top, right, bottom = ImageDraw.Draw(mark).textbbox((0, 0), words, font=font)
    gap = big // 5
    canvas = Image.new("RGBA", (big + gap + round(right - left), big), (0, 0, 0, 0))
    canvas.alpha_composite(mark)
    y = round((big - (bottom - top)) / 2 - top)
    ImageDraw.Draw(canvas).text((big + gap - round(left), y), words, font=font, fill=(*text, 255))
    canvas = canvas.crop(canvas.getbbox())
    width = round(canvas.width * height / canvas.height)
    return canvas.resize((width, height), Image.Resampling.LANCZOS)


def images() -> dict[str, Image.Image]:
    """Draw every file Home Assistant looks for in brand/, by name."""
    out: dict[str, Image.Image] = {}
    for theme in THEMES:
        out[f"{theme}icon.png"] = icon(theme, 256)
        out[f"{theme}icon@2x.png"] = icon(theme, 512)
        out[f"{theme}logo.png"] = logo(theme, 256)
        out[f"{theme}logo@2x.png"] = logo(theme, 512)
    return out


def main() -> None:
    """Write the images and say what was written."""
    BRAND.mkdir(parents=True, exist_ok=True)
    for name, image in images().items():
        path = BRAND / name
        image.save(path, optimize=True)
        print(f"{path.relative_to(BRAND.parents[2])}: {image.width}x{image.height} {image.mode}")


if __name__ == "__main__":
    main()
