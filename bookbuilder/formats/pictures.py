"""Pictures re-encoded for a screen or a store, from the book's originals: never upscaled, without
their metadata, the same bytes from run to run (Pillow's encoders are deterministic)."""

from __future__ import annotations

import io
import math

from PIL import Image

JPEG_QUALITY = 92  # a store edition's first try: the highest quality its limit allows comes first
LEAST_JPEG_QUALITY = 68  # below it a JPEG is made smaller instead
SCREEN_QUALITY = 85  # the web edition's sizes


def resized(picture: Image.Image, width: int, quality: int = SCREEN_QUALITY) -> bytes:
    """``picture`` at ``width`` pixels (its height in proportion), in its own format."""
    height = max(1, math.floor(picture.height * width / picture.width))
    smaller = picture if width == picture.width else picture.resize((width, height), Image.LANCZOS)
    out = io.BytesIO()
    if picture.format == "JPEG":
        smaller.convert("RGB").save(out, "JPEG", quality=quality, optimize=True)
    else:
        smaller.save(out, picture.format or "PNG", optimize=True)
    return out.getvalue()


def fitted(data: bytes, max_bytes: int | None, max_pixels: int | None) -> bytes:
    """``data`` as it is when within both limits; else scaled down to ``max_pixels``, then (a JPEG)
    at a lower quality, then smaller again, until its file is at most ``max_bytes``."""
    if (not max_bytes or len(data) <= max_bytes) and not max_pixels:
        return data
    with Image.open(io.BytesIO(data)) as picture:
        picture.load()
        pixels = picture.width * picture.height
        if (not max_pixels or pixels <= max_pixels) and (not max_bytes or len(data) <= max_bytes):
            return data
        scale = min(1.0, math.sqrt(max_pixels / pixels)) if max_pixels else 1.0
        quality = JPEG_QUALITY
        while True:
            width = max(1, math.floor(picture.width * scale))
            out = resized(picture, width, quality)
            if not max_bytes or len(out) <= max_bytes or width == 1:
                return out
            if picture.format == "JPEG" and quality > LEAST_JPEG_QUALITY:
                quality -= 8
            else:
                scale *= 0.85
