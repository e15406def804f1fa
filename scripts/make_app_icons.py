"""Draw the installable app's icons (static/icons/): the favicon's white Q on the blue square,
as PNGs for the web app manifest. Run once after changing the design:
``.venv/bin/python scripts/make_app_icons.py``."""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BLUE = (13, 110, 253)
ICONS = Path(__file__).resolve().parents[1] / "static" / "icons"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def draw(size: int, *, maskable: bool) -> Image.Image:
    image = Image.new(
        "RGB" if maskable else "RGBA", (size, size), BLUE if maskable else (0, 0, 0, 0)
    )
    pen = ImageDraw.Draw(image)
    if not maskable:  # rounded like the favicon; a maskable icon is cut to shape by the phone
        pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=BLUE)
    # A maskable icon keeps its letter inside the middle 80 % (the safe zone).
    font = ImageFont.truetype(FONT, int(size * (0.42 if maskable else 0.55)))
    pen.text((size / 2, size / 2), "Q", fill="white", font=font, anchor="mm")
    return image


def main() -> None:
    ICONS.mkdir(exist_ok=True)
    for size in (192, 512):
        draw(size, maskable=False).save(ICONS / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(ICONS / "icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
