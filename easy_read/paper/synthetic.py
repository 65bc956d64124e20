"""Filled-in, scanned-looking pages made by program, for the tests and the OMR benchmark.

Marks are drawn with Pillow on a page rasterised from a real rendered PDF, at the layout's box
positions: pen ticks, crosses, coloured-in boxes, faint pencil ticks, stray marks and handwriting-
like scribbles. ``degrade`` then does what a scanner and a person do to a page: rotation (up to
5 degrees, or upside down), scaling, blur, noise and JPEG artefacts.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .layout import FREE_TEXT_HINT_DEPTH_OTHER, Box, PageLayout, Rect

MARK_STYLES = ("tick", "cross", "fill", "pencil")
# What people write in a free-text box: lines of scribble down the box, one short word anywhere in it, or a
# line of words just under the printed hint, where people start writing.
WRITING_STYLES = ("scribble", "word", "top line")
SHORT_WORDS = ("help", "hurt", "HELP", "no", "sad", "bad", "ok", "hit", "scared", "Mum")
LINES = ("My son takes my pension and hits me", "they did not listen", "I was scared", "good")


@dataclass(frozen=True)
class Pen:
    width_mm: float
    grey: int


def _pt(rect: Rect, fx: float, fy: float, ppm: float, rng: random.Random, jitter: float) -> tuple[float, float]:
    return ((rect.x + rect.w * (fx + rng.uniform(-jitter, jitter))) * ppm,
            (rect.y + rect.h * (fy + rng.uniform(-jitter, jitter))) * ppm)


def draw_mark(draw: ImageDraw.ImageDraw, rect: Rect, style: str, ppm: float, rng: random.Random) -> None:
    """Draw one mark of ``style`` in the box ``rect`` (mm) on an image at ``ppm`` pixels per mm."""
    pen = Pen(rng.uniform(0.35, 0.8), rng.randint(0, 90))
    if style == "pencil":
        pen = Pen(rng.uniform(0.3, 0.55), rng.randint(140, 185))
    width = max(1, int(round(pen.width_mm * ppm)))
    if style in ("tick", "pencil"):
        points = [_pt(rect, 0.2, 0.55, ppm, rng, 0.08), _pt(rect, 0.42, 0.85, ppm, rng, 0.08),
                  _pt(rect, 0.95, 0.05, ppm, rng, 0.1)]
        draw.line(points, fill=pen.grey, width=width, joint="curve")
    elif style == "cross":
        draw.line([_pt(rect, 0.12, 0.12, ppm, rng, 0.1), _pt(rect, 0.88, 0.88, ppm, rng, 0.1)], fill=pen.grey, width=width)
        draw.line([_pt(rect, 0.88, 0.12, ppm, rng, 0.1), _pt(rect, 0.12, 0.88, ppm, rng, 0.1)], fill=pen.grey, width=width)
    elif style == "fill":
        # Coloured in: zig-zag strokes over most of the box, sometimes solid.
        if rng.random() < 0.4:
            inset = rng.uniform(0.05, 0.15)
            draw.rectangle([_pt(rect, inset, inset, ppm, rng, 0.03), _pt(rect, 1 - inset, 1 - inset, ppm, rng, 0.03)],
                           fill=pen.grey)
        else:
            y = 0.12
            while y < 0.9:
                draw.line([_pt(rect, 0.1, y, ppm, rng, 0.03), _pt(rect, 0.9, y + 0.06, ppm, rng, 0.03)],
                          fill=pen.grey, width=max(width, int(0.9 * ppm)))
                y += rng.uniform(0.08, 0.14)
    else:
        raise ValueError(style)


def draw_stray(draw: ImageDraw.ImageDraw, rect: Rect, ppm: float, rng: random.Random) -> None:
    """A mark that is not an answer: a dot in the box, or a stroke across its edge or corner."""
    grey = rng.randint(0, 120)
    if rng.random() < 0.5:
        cx, cy = _pt(rect, 0.5, 0.5, ppm, rng, 0.3)
        r = rng.uniform(0.3, 0.6) * ppm
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=grey)
    else:
        side = rng.choice(["top", "bottom", "left", "right"])
        a = rng.uniform(0.0, 1.0)
        if side in ("top", "bottom"):
            fy = -0.05 if side == "top" else 1.05
            p0 = ((rect.x + rect.w * a - 4) * ppm, (rect.y + rect.h * fy) * ppm)
            p1 = ((rect.x + rect.w * a + 4) * ppm, (rect.y + rect.h * (fy + rng.uniform(-0.12, 0.12))) * ppm)
        else:
            fx = -0.05 if side == "left" else 1.05
            p0 = ((rect.x + rect.w * fx) * ppm, (rect.y + rect.h * a - 4) * ppm)
            p1 = ((rect.x + rect.w * (fx + rng.uniform(-0.12, 0.12))) * ppm, (rect.y + rect.h * a + 4) * ppm)
        draw.line([p0, p1], fill=grey, width=max(1, int(0.4 * ppm)))


def draw_writing(draw: ImageDraw.ImageDraw, rect: Rect, ppm: float, rng: random.Random) -> None:
    """Handwriting-like scribble lines in a free-text box."""
    lines = rng.randint(1, 3)
    for line in range(lines):
        y = rect.y + 16 + line * 9
        x = rect.x + 5 + rng.uniform(0, 5)
        end = rect.x + rect.w - 5 - rng.uniform(0, 40)
        points = []
        while x < end:
            points.append((x * ppm, (y + rng.uniform(-2.0, 2.0)) * ppm))
            x += rng.uniform(0.8, 2.0)
        if len(points) > 1:
            draw.line(points, fill=rng.randint(0, 80), width=max(1, int(0.45 * ppm)))


def _font(size_px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size_px)     # Pillow looks under /usr/share/fonts
    except OSError:
        return ImageFont.load_default(size_px)


def draw_words(draw: ImageDraw.ImageDraw, x_mm: float, y_mm: float, words: str, size_mm: float, ppm: float,
               grey: int) -> None:
    """Words in a pen-like stroke: a sans-serif at a ``size_mm`` em (capitals about 0.7 of it tall, strokes
    about a tenth of it wide, as a ballpoint writes them), their top left at (x_mm, y_mm)."""
    draw.text((x_mm * ppm, y_mm * ppm), words, fill=grey, font=_font(max(4, int(size_mm * ppm))))


def draw_free_text(draw: ImageDraw.ImageDraw, rect: Rect, style: str, ppm: float, rng: random.Random,
                   hint_depth: float = FREE_TEXT_HINT_DEPTH_OTHER) -> None:
    """Writing of ``style`` (one of WRITING_STYLES) in a free-text box whose printed hint reaches
    ``hint_depth`` mm down (the layout's ``free_text_hint_depth``)."""
    grey = rng.randint(0, 80)
    if style == "scribble":
        draw_writing(draw, rect, ppm, rng)
    elif style == "word":
        size = rng.uniform(4.0, 5.5)
        draw_words(draw, rect.x + rng.uniform(4, rect.w - 30), rng.uniform(rect.y + hint_depth, rect.y + rect.h - 9),
                   rng.choice(SHORT_WORDS), size, ppm, grey)
    elif style == "top line":
        # The em box starts about a millimetre above the letters: the letters start just under the hint.
        draw_words(draw, rect.x + rng.uniform(3, 8), rect.y + hint_depth - rng.uniform(1.2, 1.8),
                   rng.choice(LINES), rng.uniform(4.0, 5.5), ppm, grey)
    else:
        raise ValueError(style)


@dataclass
class FilledPage:
    image: Image.Image
    truth: dict[str, set[str]]          # question -> answer ids marked (single-answer questions)
    styles: dict[str, str]              # box id -> style drawn ("stray" for non-answers)
    written: dict[str, bool]            # free-text question -> written in
    writing: dict[str, str] | None = None   # free-text question -> style written (WRITING_STYLES)


def fill_page(image: Image.Image, page: PageLayout, dpi: float, rng: random.Random, *,
              p_skip: float = 0.1, p_double: float = 0.04, p_stray: float = 0.05, p_write: float = 0.6,
              styles: tuple[str, ...] = MARK_STYLES, style_weights: tuple[float, ...] = (0.45, 0.25, 0.2, 0.1),
              writing_styles: tuple[str, ...] = ("scribble",),
              hint_depth: float = FREE_TEXT_HINT_DEPTH_OTHER) -> FilledPage:
    image = image.convert("L").copy()
    draw = ImageDraw.Draw(image)
    ppm = dpi / 25.4
    by_question: dict[str, list[Box]] = {}
    for box in page.boxes:
        by_question.setdefault(box.question, []).append(box)
    truth: dict[str, set[str]] = {}
    drawn: dict[str, str] = {}
    written: dict[str, bool] = {}
    writing: dict[str, str] = {}
    for question, boxes in by_question.items():
        if boxes[0].kind == "free_text":
            written[question] = rng.random() < p_write
            if written[question]:
                writing[question] = rng.choice(writing_styles) if len(writing_styles) > 1 else writing_styles[0]
                draw_free_text(draw, boxes[0].rect, writing[question], ppm, rng, hint_depth)
            continue
        roll = rng.random()
        chosen: list[Box] = []
        if roll >= p_skip:
            chosen = rng.sample(boxes, 2 if roll < p_skip + p_double else 1)
        truth[question] = {b.answer or "" for b in chosen}
        for box in boxes:
            if box in chosen:
                style = rng.choices(styles, weights=style_weights[:len(styles)])[0]
                draw_mark(draw, box.rect, style, ppm, rng)
                drawn[box.id] = style
            elif rng.random() < p_stray:
                draw_stray(draw, box.rect, ppm, rng)
                drawn[box.id] = "stray"
    return FilledPage(image, truth, drawn, written, writing)


def degrade(image: Image.Image, rng: random.Random, *, max_rotation: float = 5.0, upside_down: bool = False,
            scale: tuple[float, float] = (0.96, 1.02), blur: float = 1.0, noise: float = 10.0,
            jpeg: tuple[int, int] | None = (35, 90)) -> Image.Image:
    """What scanning does: rotate, scale, blur, add noise, compress."""
    angle = rng.uniform(-max_rotation, max_rotation) + (180.0 if upside_down else 0.0)
    factor = rng.uniform(*scale)
    out = image.convert("L")
    if abs(factor - 1.0) > 1e-3:
        out = out.resize((int(out.width * factor), int(out.height * factor)), Image.Resampling.BILINEAR)
    out = out.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
    sigma = rng.uniform(0, blur)
    if sigma > 0.2:
        out = out.filter(ImageFilter.GaussianBlur(sigma))
    if noise > 0:
        array = np.asarray(out, dtype=np.float32)
        array = array + np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(0, noise), array.shape)
        out = Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))
    if jpeg is not None:
        buffer = io.BytesIO()
        out.save(buffer, format="JPEG", quality=rng.randint(*jpeg))
        buffer.seek(0)
        out = Image.open(buffer).convert("L")
    return out


def rotate_exact(image: Image.Image, angle: float) -> Image.Image:
    return image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)


__all__ = ["fill_page", "degrade", "draw_mark", "draw_stray", "draw_writing", "draw_free_text", "draw_words",
           "FilledPage", "MARK_STYLES", "WRITING_STYLES", "rotate_exact"]
