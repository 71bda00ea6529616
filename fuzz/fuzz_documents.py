"""Atheris fuzz target for the HTML and PDF readers (articlebot/documents.py).

Property: for ANY bytes, `read_document(name, data, limit)` with a .html/.htm/.pdf/.txt/.md name and
`extract_html` either return an ExtractedDocument with non-empty text or raise DocumentError — never another
exception, never a hang. Bounded: pass -runs=N or -max_total_time=SECONDS (libFuzzer flags).

    pip install atheris
    python fuzz/fuzz_documents.py -runs=20000
    python fuzz/fuzz_documents.py -max_total_time=120 -timeout=20 fuzz/corpus
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports(include=["articlebot"]):
    from articlebot.documents import DocumentError, ExtractedDocument, extract_html, read_document

logging.disable(logging.CRITICAL)  # pypdf warns loudly on broken files
NAMES = ("page.html", "page.htm", "doc.pdf", "notes.txt", "notes.md")
LIMIT = 1024 * 1024


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    if not data:
        return
    fdp = atheris.FuzzedDataProvider(data)
    which = fdp.ConsumeIntInRange(0, len(NAMES))
    payload = fdp.ConsumeBytes(fdp.remaining_bytes())
    if which == len(NAMES):  # extract_html on str (the fetch path with a declared charset)
        text = payload.decode("utf-8", "replace")
        try:
            doc = extract_html(text, url="https://example.com/a")
        except DocumentError:
            return
    else:
        if NAMES[which].endswith(".pdf") and not payload.startswith(b"%PDF-"):
            payload = b"%PDF-1.4\n" + payload
        try:
            doc = read_document(NAMES[which], payload, LIMIT)
        except DocumentError:
            return
    assert isinstance(doc, ExtractedDocument)
    assert isinstance(doc.text, str) and doc.text.strip(), "accepted a document without text"


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
