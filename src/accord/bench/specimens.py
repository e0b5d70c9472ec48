"""An agreement's text in the forms offices hold it: DOCX, printed PDFs, scans and phone photos.

Used by the benchmarks (``accord bench ocr``, ``accord bench formats``) and to make test fixtures:
a known text goes in, so what the reader gets back can be scored against it. Printing uses the
system's own programs (LibreOffice, Chromium) or WeasyPrint; scanning renders the PDF at a given
resolution and adds what a real scanner adds — a slight skew, uneven paper, blur, sensor noise,
JPEG compression — reproducibly from a seed.
"""

from __future__ import annotations

import html
import io
import os
import random
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from accord.intake.errors import IntakeError

CSS = """
@page { size: A4; margin: 25mm 22mm 25mm 22mm;
  @bottom-center { content: counter(page); font-size: 9pt } }
body { font-family: "Noto Serif CJK SC", "Noto Serif", serif; font-size: 12pt; line-height: 1.6 }
p { margin: 0 0 4pt; text-align: justify }
"""


def paragraphs(body: str) -> list[str]:
    return [line for line in body.split("\n") if line.strip()]


def to_html(body: str, lang: str) -> str:
    """The text as a printable HTML page, one paragraph per line, page numbers at the foot."""
    code = "zh-Hans" if lang == "zh" else "en"
    blocks = "".join(f"<p>{html.escape(line)}</p>" for line in paragraphs(body))
    return f'<!doctype html><html lang="{code}"><head><meta charset="utf-8"><style>{CSS}</style></head><body>{blocks}</body></html>'


def to_docx(body: str) -> bytes:
    """The text as a DOCX, one paragraph per line (A4)."""
    import docx
    from docx.shared import Mm, Pt

    document = docx.Document()
    document.styles["Normal"].font.size = Pt(12)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for line in paragraphs(body):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def print_weasyprint(body: str, lang: str) -> bytes:
    """The text printed to PDF by WeasyPrint (no external program needed)."""
    import weasyprint

    return bytes(weasyprint.HTML(string=to_html(body, lang)).write_pdf())


def print_libreoffice(docx: bytes, *, timeout: int = 180) -> bytes:
    """A DOCX printed to PDF by LibreOffice (headless, own profile, killed after ``timeout``)."""
    from accord.intake.convert import run_soffice

    return run_soffice(docx, "docx", "pdf", timeout=timeout)


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def print_chromium(page: str, *, timeout: int = 120) -> bytes:
    """An HTML page printed to PDF by headless Chromium."""
    program = chromium()
    if program is None:
        raise IntakeError("converter_missing", format="HTML")
    with tempfile.TemporaryDirectory(prefix="accord-print-") as tmp:
        work = Path(tmp)
        source = work / "page.html"
        source.write_text(page, encoding="utf-8")
        target = work / "page.pdf"
        command = [
            program,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={work / 'profile'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            subprocess.run(
                command, capture_output=True, timeout=timeout, check=False, env={**os.environ, "HOME": tmp}
            )
        except subprocess.TimeoutExpired:
            raise IntakeError("conversion_timeout", format="HTML", seconds=timeout) from None
        if not target.exists():
            raise IntakeError("conversion_failed", format="HTML", detail="Chromium wrote no PDF")
        return target.read_bytes()


def render(pdf: bytes, dpi: int = 150) -> list[Any]:
    """The PDF's pages as greyscale images at ``dpi``."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in document]
    finally:
        document.close()


def scan_page(image: Any, rng: random.Random, *, blur: float | None = None) -> Any:
    """A rendered page as it comes out of an office scanner: skewed, shaded, noisy, JPEG-compressed."""
    import numpy as np
    from PIL import Image, ImageFilter

    angle = rng.uniform(0.4, 1.6) * rng.choice((-1, 1))
    page = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    page = page.filter(ImageFilter.GaussianBlur(blur if blur is not None else rng.uniform(0.3, 0.6)))
    pixels = np.asarray(page, dtype=np.float32)
    height, width = pixels.shape
    # Paper is not white and the lamp is not even: a gentle gradient across the page.
    ys, xs = np.mgrid[0:height, 0:width]
    shade = 238 + 10 * (xs / width) - 8 * (ys / height)
    pixels = pixels / 255.0 * shade
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, 7, pixels.shape)
    pixels = np.clip(pixels + noise, 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="JPEG", quality=75)
    return Image.open(io.BytesIO(out.getvalue())).convert("L")


def scan(pdf: bytes, *, dpi: int = 150, seed: int = 0, blur: float | None = None) -> list[Any]:
    """Every page of a printed PDF scanned at ``dpi``."""
    rng = random.Random(seed)
    return [scan_page(page, rng, blur=blur) for page in render(pdf, dpi)]


def images_to_pdf(images: list[Any], dpi: int = 150) -> bytes:
    """An image-only PDF (what a scanner's "scan to PDF" writes), one page per image."""
    out = io.BytesIO()
    first, *rest = [image.convert("RGB") for image in images]
    first.save(out, format="PDF", save_all=True, append_images=rest, resolution=float(dpi))
    return out.getvalue()


def photo(image: Any, seed: int = 0) -> bytes:
    """A page photographed with a phone: perspective, a shadow across it, JPEG at quality 85."""
    import numpy as np
    from PIL import Image

    rng = random.Random(seed)
    page = image.convert("L")
    width, height = page.size
    margin = int(0.06 * width)
    canvas = Image.new("L", (width + 2 * margin, height + 2 * margin), 90)  # the desk
    canvas.paste(page, (margin, margin))
    w, h = canvas.size
    jitter = [rng.uniform(-0.025, 0.025) * w for _ in range(8)]
    quad = (
        jitter[0], jitter[1],
        jitter[2], h + jitter[3],
        w + jitter[4], h + jitter[5],
        w + jitter[6], jitter[7],
    )  # fmt: skip
    warped = canvas.transform(
        (w, h), Image.Transform.QUAD, quad, resample=Image.Resampling.BICUBIC, fillcolor=90
    )
    pixels = np.asarray(warped, dtype=np.float32)
    xs = np.linspace(0.82, 1.0, w)[None, :]
    pixels = np.clip(pixels * xs + np.random.default_rng(seed).normal(0, 5, pixels.shape), 0, 255).astype(
        np.uint8
    )
    out = io.BytesIO()
    Image.fromarray(pixels).convert("RGB").save(out, format="JPEG", quality=85)
    return out.getvalue()
