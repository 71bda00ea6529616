"""A passage's layout — its word spans, sentence spans and each word's terms — computed once at ingest and
stored with it.

Extraction reads the words, sentences and word terms of every passage it scores (`retrieval.answer._analyze_passage`);
finding them (`word_spans`, `split_sentences`, `analyze_word` of each word) was ~70 µs of a ~60-word passage for the
spans alone, ~0.5 ms of a question at 100k passages, plus ~0.4 ms of stemming words no earlier question met (first-
time questions read ~8 passages each, most of them new). Decoding the stored layout takes ~15–25 µs a passage.

The stored form: a type code ("H": 16-bit offsets, "I": 32-bit, little-endian), the language the terms were found
in (its length in one byte, then its letters; none: no terms stored), then the numbers of words and sentences, the
words' (start, end) offsets and the sentences' (start, end) offsets, then the words' terms as UTF-8 text, words
separated by "\x1f": nothing for a word that is its own one term (~60 % of words), "\x00" for a word without a
term (a stop word), else its terms joined by spaces (terms hold no whitespace nor control characters); then, when
the article's title was given, "\x1e", the title's CRC-32 in 8 hex digits and its terms (`analyze(title, lang)`),
space-separated: a question reads ~4 articles' titles, mostly new ones, whose words were stemmed again. Casefolded words
are sliced from the text when decoded (as `_word_layout` does), so the text is not stored twice.

`LAYOUT_VERSION` names the code that computed a layout: a digest of this file and of the word, sentence and term
rules' source (`retrieval/text.py`, `retrieval/sentences.py`, `retrieval/stopwords.py`), of the stemmers' versions
and of the Unicode tables. Any edit of those files changes it, and a database whose layouts were written under
another version has them cleared when it is opened (the engine fills them in again), so a stored layout is always
what the running code would compute. Without the source files (a frozen build) there is no version: layouts are then neither stored
nor read.
"""

from __future__ import annotations

import hashlib
import sys
import unicodedata
import zlib
from array import array
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from retrieval import german_verbs, same_meaning, sentences, spanish_verbs, stopwords, text
from retrieval.sentences import split_sentences
from retrieval.text import analyze, analyze_word, plain_word_terms, word_spans

WordLayout = tuple[list[tuple[int, int]], list[str], list[int]]  # `retrieval.answer._word_layout`
Layout = tuple[WordLayout, tuple[tuple[int, int], ...], list[tuple[str, ...]] | None, tuple[str, ...] | None]

_SWAP = sys.byteorder != "little"
_WORD_SEP = "\x1f"
_NO_TERM = "\x00"
_TITLE_SEP = "\x1e"


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def _version() -> str | None:
    try:
        modules = (sentences, stopwords, text, german_verbs, spanish_verbs, same_meaning)
        files = [Path(__file__), *(Path(m.__file__) for m in modules)]  # type: ignore[arg-type]
        parts = [f.read_bytes() for f in files]
    except (OSError, TypeError):  # no source to fingerprint
        return None
    parts += [
        text.TOKENIZER_VERSION.encode(),
        unicodedata.unidata_version.encode(),
        _package_version("PyStemmer").encode(),
        _package_version("PySastrawi").encode(),
    ]
    digest = hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]
    return f"2-{digest}"


LAYOUT_VERSION: str | None = _version()


def _title_check(title: str) -> str:
    return f"{zlib.crc32(title.encode('utf-8', 'surrogatepass')):08x}"


@lru_cache(maxsize=64)
def _title_field(title: str, lang: str) -> str:
    """The title part of a layout (the same for every passage of an article: analysed once)."""
    return _TITLE_SEP + " ".join([_title_check(title), *analyze(title, lang)])


def encode_layout(passage: str, lang: str | None = None, title: str | None = None) -> bytes | None:
    """The stored layout of a passage's text, with its words' terms in `lang` (`analyze_word`) and its article
    title's terms when given (None when layouts are off: no `LAYOUT_VERSION`)."""
    if LAYOUT_VERSION is None:
        return None
    spans = word_spans(passage)
    sents = split_sentences(passage)
    values = [len(spans), len(sents)]
    for a, b in spans:
        values += (a, b)
    for a, b in sents:
        values += (a, b)
    code = "H" if len(passage) < 1 << 16 else "I"
    packed = array(code, values)
    if _SWAP:
        packed.byteswap()
    terms = b""
    tag = (lang or "").encode("ascii", "replace")[:255]
    if tag:
        folded = passage.casefold()
        if len(folded) == len(passage):  # the words `decode_layout` gives (casefolding never shrinks a character)
            words = [folded[a:b] for a, b in spans]
        else:
            words = [passage[a:b].casefold() for a, b in spans]
        plain = plain_word_terms(lang)  # = analyze_word for a plain ASCII word, without its checks
        found = [plain(w) if w.isascii() and w.isalnum() else analyze_word(w, lang) for w in words]
        text = _WORD_SEP.join(
            [
                "" if len(t) == 1 and t[0] == w else " ".join(t) if t else _NO_TERM
                for w, t in zip(words, found, strict=True)
            ]
        )
        if title is not None:
            text += _title_field(title, lang)
        terms = text.encode()
    return code.encode() + bytes((len(tag),)) + tag + packed.tobytes() + terms


def decode_layout(
    passage: str, stored: bytes | None, lang: str | None = None, title: str | None = None
) -> Layout | None:
    """`(_word_layout(passage), _sentence_spans(passage), terms, title_terms)` from the stored layout, where terms
    are each word's `analyze_word(word, lang)` if they were stored in `lang`, else None, and title_terms
    `tuple(analyze(title, lang))` if they were stored for this title in `lang`, else None; None when there is no
    layout or it does not fit the text (then the caller computes it)."""
    if not stored or LAYOUT_VERSION is None or len(stored) < 2:
        return None
    code = chr(stored[0])
    if code not in ("H", "I"):
        return None
    at = 2 + stored[1]
    tag = stored[2:at]
    values = array(code)
    size = values.itemsize
    if len(stored) < at + 2 * size:
        return None
    values.frombytes(stored[at : at + 2 * size])
    if _SWAP:
        values.byteswap()
    n_words, n_sents = values
    end = at + (2 + 2 * n_words + 2 * n_sents) * size
    if len(stored) < end:
        return None
    values.frombytes(stored[at + 2 * size : end])
    if _SWAP:
        values.byteswap()
    v = values.tolist()
    if len(v) > 2 and max(v[2:]) > len(passage):
        return None
    w_end = 2 + 2 * n_words
    starts = v[2:w_end:2]
    spans = list(zip(starts, v[3:w_end:2], strict=True))
    folded = passage.casefold()
    if len(folded) == len(passage):  # casefolding never shrinks a character: same length, same offsets
        words = [folded[a:b] for a, b in spans]
    else:
        words = [passage[a:b].casefold() for a, b in spans]
    sents = tuple(zip(v[w_end::2], v[w_end + 1 :: 2], strict=True))
    terms = title_terms = None
    if tag and lang is not None and tag == lang.encode("ascii", "replace")[:255]:
        body, sep, head = stored[end:].decode().partition(_TITLE_SEP)
        if sep and title is not None:
            check, *found = head.split(" ")
            if check == _title_check(title):
                title_terms = tuple(found)
        parts = body.split(_WORD_SEP) if n_words else []
        if len(parts) == n_words:
            terms = [
                (w,) if not p else tuple(p.split()) if p != _NO_TERM else ()
                for w, p in zip(words, parts, strict=True)
            ]
        else:
            return None
    return (spans, words, starts), sents, terms, title_terms
