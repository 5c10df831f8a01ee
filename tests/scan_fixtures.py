"""Pictures of typed letters made in code: clean scans, degraded scans, fax TIFFs, phone photos
and scribbles. The OCR tests and bench/bench_ocr.py both use them, so the bench measures the
same kinds of page the tests decide on. Fictional text only.
"""

from __future__ import annotations

import io
import random
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

A4 = (8.27, 11.69)  # inches
_FONTS = Path("/usr/share/fonts/truetype/dejavu")


def font(size_pt: float, dpi: int, family: str = "DejaVuSerif.ttf") -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(_FONTS / family), round(size_pt / 72 * dpi))
    except OSError:  # no DejaVu: Pillow's own scalable font
        return ImageFont.load_default(round(size_pt / 72 * dpi))


def typed_page(text: str, dpi: int = 300, size_pt: float = 11, family: str = "DejaVuSerif.ttf") -> Image.Image:
    """An A4 page of ``text`` typed in black on white, as a flatbed scanner sees it."""
    width, height = round(A4[0] * dpi), round(A4[1] * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    face = font(size_pt, dpi, family)
    y = round(0.8 * dpi)
    step = round(size_pt * 1.4 / 72 * dpi)
    for paragraph in text.split("\n"):
        for line in textwrap.wrap(paragraph, 78) or [""]:
            draw.text((round(0.9 * dpi), y), line, font=face, fill=0)
            y += step
    return page


def degraded(page: Image.Image, seed: int = 1, skew: float = 2.5, noise: float = 0.02,
             jpeg_quality: int = 60) -> Image.Image:
    """The page skewed, speckled, slightly blurred and through JPEG at ``jpeg_quality``."""
    rng = random.Random(seed)
    out = page.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    out = out.filter(ImageFilter.GaussianBlur(0.6))
    pixels = out.load()
    assert pixels is not None
    for _ in range(int(out.width * out.height * noise)):
        x, y = rng.randrange(out.width), rng.randrange(out.height)
        pixels[x, y] = rng.choice((0, 90, 255))
    return jpeg(out, jpeg_quality)


def jpeg(image: Image.Image, quality: int = 60) -> Image.Image:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue()))


def fax(page: Image.Image) -> Image.Image:
    """A fax: 204x196 dpi from a 300 dpi page, one bit a pixel, dithered."""
    small = page.resize((round(page.width * 204 / 300), round(page.height * 196 / 300)), Image.Resampling.LANCZOS)
    return small.convert("1")


def fax_tiff(pages: list[Image.Image]) -> bytes:
    """A multi-page CCITT G4 TIFF, as a fax server writes it."""
    frames = [fax(p) for p in pages]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", compression="group4", save_all=True, append_images=frames[1:],
                   dpi=(204, 196))
    return buffer.getvalue()


def phone_photo(page: Image.Image, seed: int = 2) -> Image.Image:
    """The page photographed on a desk: smaller, at a slant, in perspective, on a grey desk,
    unevenly lit, as a JPEG."""
    rng = random.Random(seed)
    w, h = page.size
    desk = Image.new("L", (round(w * 1.15), round(h * 1.12)), 110)
    desk.paste(page, (round(w * 0.07), round(h * 0.05)))
    dw, dh = desk.size
    # corners of the page as the camera sees them (top narrower: the phone leans back)
    squeeze = 0.05
    quad = (dw * squeeze, 0, 0, dh, dw, dh, dw * (1 - squeeze), 0)
    photo = desk.transform((dw, dh), Image.Transform.QUAD, quad, Image.Resampling.BICUBIC, fillcolor=110)
    light = Image.linear_gradient("L").resize((dw, dh)).point(lambda v: 255 - v // 5)
    photo = Image.composite(photo, Image.new("L", (dw, dh), 0), light)
    photo = photo.rotate(rng.uniform(-1.5, 1.5), resample=Image.Resampling.BICUBIC, fillcolor=110)
    photo = photo.resize((round(dw * 0.55), round(dh * 0.55)), Image.Resampling.LANCZOS)
    return jpeg(photo, 75)


def scribbles(dpi: int = 300, lines: int = 14, seed: int = 3) -> Image.Image:
    """A page of handwriting-like strokes: joined loops along ruled lines that spell nothing."""
    rng = random.Random(seed)
    width, height = round(A4[0] * dpi), round(A4[1] * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    for row in range(lines):
        y0 = round(1.0 * dpi + row * 0.55 * dpi)
        x = round(0.9 * dpi)
        points = []
        while x < width - dpi:
            x += rng.randint(8, 30)
            points.append((x, y0 + rng.randint(-40, 40)))
        draw.line(points, fill=20, width=5, joint="curve")
    return page


def png_bytes(image: Image.Image, dpi: int = 300) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


def jpeg_bytes(image: Image.Image, quality: int = 75) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def image_pdf(pages: list[Image.Image], dpi: int = 300) -> bytes:
    """An image-only PDF (no text layer), as a scanner's scan-to-PDF writes it."""
    buffer = io.BytesIO()
    # Copies: Pillow keeps a save's settings on the images it wrote (append_images among them),
    # so a page shared by several tests' PDFs would carry the last bundle's pages into the next.
    first, *rest = [p.convert("L") if p.mode not in ("L", "1") else p.copy() for p in pages]
    first.save(buffer, format="PDF", resolution=dpi, save_all=True, append_images=rest)
    return buffer.getvalue()
