"""A passage's layout — its word spans and sentence spans — computed once at ingest and stored with it.

Extraction reads the words and sentences of every passage it scores (`retrieval.answer._analyze_passage`); finding
them (`word_spans`, `split_sentences`) was ~70 µs of a ~60-word passage, ~0.5 ms of a question at 100k passages
(first-time questions: each reads ~8 passages it has not read before). Decoding the stored layout takes ~15 µs.

The stored form is a few bytes per word: a type code ("H": 16-bit offsets, "I": 32-bit, little-endian), then the
number of words, the words' (start, end) offsets and the sentences' (start, end) offsets. Casefolded words are
sliced from the text when decoded (as `_word_layout` does), so nothing of the text is stored twice.

`LAYOUT_VERSION` names the code that computed a layout: a digest of the word and sentence rules' source and of the
Unicode tables they use. Any edit of `retrieval/sentences.py` or of the word-token functions changes it, and a
database whose layouts were written under another version has them cleared when it is opened (the engine fills
them in again), so a stored layout is always what the running code would compute. Without the source files (a
frozen build) there is no version: layouts are then neither stored nor read.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
import unicodedata
from array import array
from pathlib import Path

from retrieval import sentences, text
from retrieval.sentences import split_sentences
from retrieval.text import word_spans

Layout = tuple[tuple[list[tuple[int, int]], list[str], list[int]], tuple[tuple[int, int], ...]]

_SWAP = sys.byteorder != "little"


def _version() -> str | None:
    try:
        parts = [
            Path(sentences.__file__).read_bytes(),
            *(inspect.getsource(f).encode() for f in (text.word_spans, text._token_re, text._has_marks)),
            text._TOKEN_RE.pattern.encode(),
            text._FAST_TOKEN_RE.pattern.encode(),
            unicodedata.unidata_version.encode(),
        ]
    except (OSError, TypeError):  # no source to fingerprint
        return None
    digest = hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]
    return f"1-{digest}"


LAYOUT_VERSION: str | None = _version()


def encode_layout(passage: str) -> bytes | None:
    """The stored layout of a passage's text (None when layouts are off: no `LAYOUT_VERSION`)."""
    if LAYOUT_VERSION is None:
        return None
    spans = word_spans(passage)
    sents = split_sentences(passage)
    values = [len(spans)]
    for a, b in spans:
        values += (a, b)
    for a, b in sents:
        values += (a, b)
    code = "H" if len(passage) < 1 << 16 else "I"
    packed = array(code, values)
    if _SWAP:
        packed.byteswap()
    return code.encode() + packed.tobytes()


def decode_layout(passage: str, stored: bytes | None) -> Layout | None:
    """`(_word_layout(passage), _sentence_spans(passage))` from the stored layout; None when there is none or it
    does not fit the text (then the caller computes it)."""
    if not stored or LAYOUT_VERSION is None:
        return None
    code = chr(stored[0])
    if code not in ("H", "I"):
        return None
    values = array(code)
    try:
        values.frombytes(stored[1:])
    except ValueError:  # not a whole number of offsets
        return None
    if _SWAP:
        values.byteswap()
    v = values.tolist()
    if not v:
        return None
    end = 1 + 2 * v[0]
    if end > len(v) or (len(v) - end) % 2 or (len(v) > 1 and max(v[1:]) > len(passage)):
        return None
    starts = v[1:end:2]
    ends = v[2:end:2]
    spans = list(zip(starts, ends, strict=True))
    folded = passage.casefold()
    if len(folded) == len(passage):  # casefolding never shrinks a character: same length, same offsets
        words = [folded[a:b] for a, b in spans]
    else:
        words = [passage[a:b].casefold() for a, b in spans]
    return (spans, words, starts), tuple(zip(v[end::2], v[end + 1 :: 2], strict=True))
