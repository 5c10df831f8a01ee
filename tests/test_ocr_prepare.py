"""Preparing a picture for OCR (extract/ocr.py): the speckle filter."""

from __future__ import annotations

import random

from PIL import Image, ImageChops, ImageFilter

from disclosureguard.extract.ocr import median3


def test_the_fast_median_is_pillows_median_filter():
    rng = random.Random(5)
    speckled = Image.new("L", (180, 120), 255)
    speckled.putdata([rng.choice((0, 90, 200, 255)) for _ in range(180 * 120)])
    inside = (1, 1, 179, 119)  # the outermost pixels meet the opposite edge
    fast, pillow = median3(speckled).crop(inside), speckled.filter(ImageFilter.MedianFilter(3)).crop(inside)
    assert ImageChops.difference(fast, pillow).getbbox() is None
