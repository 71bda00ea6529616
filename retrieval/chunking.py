"""Split an article body into retrieval passages (chunks) along paragraphs, then sentences.

Decisions:
- Paragraphs are separated by blank lines or single newlines (Telegram pastes put one paragraph per line); a
  hard-wrapped line (no final punctuation, next line lowercase) continues its paragraph, as in `split_sentences`.
  Paragraphs are numbered 1.. in that order; every paragraph, however short, gets a number.
- A paragraph of more than `max_words` words is cut between sentences into chunks of at most ~max_words; a single
  sentence longer than 3 x max_words is cut between words.
- Short paragraphs (< SHORT_PARAGRAPH_WORDS words: a title, a dateline, "(Ahmad Islamy Jamil)") are merged into
  the next paragraph's first chunk — a title gives its paragraph context — or, at the end of the body, into the
  previous chunk; only when that would exceed max_words do they stand alone (consecutive short ones together).
  A chunk carries the number of its first paragraph (a citation counts the paragraph breaks before its quote:
  found in review, a quote from a merged short first paragraph was cited as the paragraph after it).
- Chunks never overlap, are stripped, and together cover every non-whitespace character of the body.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from retrieval.sentences import line_blocks, split_sentences
from retrieval.text import word_counter, word_spans

CHUNK_MAX_WORDS = 200  # measured: benchmarks/tokenizer_choice.py (paragraph-level retrieval, long ones bounded)
SHORT_PARAGRAPH_WORDS = 8


@dataclass(frozen=True)
class Chunk:
    start: int
    end: int
    paragraph: int  # 1-based


@dataclass
class _Piece:
    start: int
    end: int
    paragraph: int
    words: int


def _split_long_sentence(body: str, start: int, end: int, max_words: int) -> list[tuple[int, int, int]]:
    """Cut one over-long sentence between words into pieces of ~max_words words: (start, end, words).

    Cuts only where whitespace separates two words, so punctuation glued to a word stays with it.
    """
    spans = word_spans(body[start:end])
    if len(spans) <= 3 * max_words:
        return [(start, end, len(spans))]
    out = []
    cut, count = start, 0
    for i in range(1, len(spans)):
        count += 1
        gap_start, gap_end = start + spans[i - 1][1], start + spans[i][0]
        if count < max_words:
            continue
        gap = body[gap_start:gap_end]
        ws = next((j for j, ch in enumerate(gap) if ch.isspace()), -1)
        if ws < 0:
            continue
        rest = gap[ws:]
        nxt = gap_start + ws + (len(rest) - len(rest.lstrip()))
        out.append((cut, gap_start + ws, count))
        cut, count = nxt, 0
    out.append((cut, end, count + 1))
    return out


def _paragraph_pieces(
    body: str, start: int, end: int, paragraph: int, max_words: int, count: Callable[[int, int], int] | None = None
) -> list[_Piece]:
    """One paragraph as chunks of <= ~max_words words, cut between sentences (`count`: `word_counter(body)`)."""
    n_words = (count or word_counter(body))(start, end)
    if n_words <= max_words:
        return [_Piece(start, end, paragraph, n_words)]
    units: list[tuple[int, int, int]] = []
    for s, e in split_sentences(body[start:end]):
        units.extend(_split_long_sentence(body, start + s, start + e, max_words))
    pieces: list[_Piece] = []
    cur: _Piece | None = None
    for s, e, w in units:
        if cur is not None and cur.words + w <= max_words:
            cur.end, cur.words = e, cur.words + w
        else:
            cur = _Piece(s, e, paragraph, w)
            pieces.append(cur)
    return _rebalance(pieces, max_words)


def _rebalance(pieces: list[_Piece], max_words: int) -> list[_Piece]:
    """Avoid a tiny last chunk after a full one by merging it when the total stays under 1.25 x max_words."""
    if len(pieces) >= 2 and pieces[-1].words < SHORT_PARAGRAPH_WORDS:
        last = pieces[-1]
        prev = pieces[-2]
        if prev.words + last.words <= max_words * 1.25:
            prev.end, prev.words = last.end, prev.words + last.words
            pieces.pop()
    return pieces


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """Paragraph spans (stripped), numbered 1.. in order by callers."""
    return line_blocks(body)


def chunk_body(body: str, max_words: int = CHUNK_MAX_WORDS) -> list[Chunk]:
    """Passages of `body` for the index: see the module docstring for the rules."""
    max_words = max(1, max_words)
    out: list[_Piece] = []
    pending: list[_Piece] = []  # short paragraphs waiting to be merged forward
    count = word_counter(body)
    for number, (start, end) in enumerate(paragraph_spans(body), start=1):
        pieces = _paragraph_pieces(body, start, end, number, max_words, count)
        if len(pieces) == 1 and pieces[0].words < SHORT_PARAGRAPH_WORDS:
            if pending and sum(p.words for p in pending) + pieces[0].words > max_words:
                out.append(_merge(pending))
                pending = []
            pending.append(pieces[0])
            continue
        if pending:
            first = pieces[0]
            extra = sum(p.words for p in pending)
            if first.words + extra <= max_words:
                pieces[0] = _Piece(pending[0].start, first.end, pending[0].paragraph, first.words + extra)
            else:
                out.append(_merge(pending))
            pending = []
        out.extend(pieces)
    if pending:
        extra = sum(p.words for p in pending)
        if out and out[-1].words + extra <= max_words:
            last = out[-1]
            out[-1] = _Piece(last.start, pending[-1].end, last.paragraph, last.words + extra)
        else:
            out.append(_merge(pending))
    return [Chunk(p.start, p.end, p.paragraph) for p in out]


def _merge(pieces: list[_Piece]) -> _Piece:
    """Consecutive short paragraphs as one piece, numbered after the first."""
    return _Piece(pieces[0].start, pieces[-1].end, pieces[0].paragraph, sum(p.words for p in pieces))


def paragraph_at(text: str, offset: int, first: int) -> int:
    """The number of the paragraph at `offset` of a passage `text` whose first paragraph is number `first`."""
    if "\n" not in text[:offset]:  # the usual case: one paragraph, or the first
        return first
    return first + sum(1 for start, _ in paragraph_spans(text) if 0 < start <= offset)


def chunk_index(chunks: list[Chunk], offset: int) -> int:
    """Index of the chunk containing body offset `offset` (or the last chunk starting before it)."""
    starts = [c.start for c in chunks]
    return max(0, bisect.bisect_right(starts, offset) - 1)
