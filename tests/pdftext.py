"""A PDF's text, as poppler's pdftotext reads it: what the PDF tests look for words in."""

from __future__ import annotations

import subprocess
from typing import Any


def pdf_text(pdf: bytes | Any, *, layout: bool = True) -> str:
    """The text of a PDF given as bytes or as a Django response (streamed or not); pdftotext
    fails, and the test with it, when the PDF does not parse."""
    if not isinstance(pdf, bytes):
        assert pdf["Content-Type"] == "application/pdf", pdf["Content-Type"]
        pdf = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    args = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode()
