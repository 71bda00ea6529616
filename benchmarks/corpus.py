"""Shared, deterministic benchmark corpora (used by scale.py, ci_speed_check.py and telegram_load.py).

Two flavours:

* ``zipf_token_docs(n, seed)`` -- token lists only (no text), drawn from a Zipf-Mandelbrot vocabulary
  p(r) ~ 1/(r+10) over 200k terms, 40-80 tokens each (mean 60).  For index-vs-index comparisons where
  tokenising is not what is measured (the CI speed gate).
* ``articles(n_articles, seed)`` -- realistic *texts* for the real ingestion path: each article is ~7
  paragraphs of ~60 words; every paragraph mixes one or two real sentences from the development data in
  ``../shared/data`` (read in place relative to the repo root, never copied; English, German, Spanish and
  Indonesian) with pseudo-words drawn from the same Zipf vocabulary, written as sentences.  So passages have
  natural-language stop words, stemming, numbers and names *and* a long-tailed vocabulary as large as a news
  archive's.  ``questions(n, seed)`` mixes the real development questions (whose contexts are in the corpus)
  with synthetic questions built from a random passage (a few common words plus one or two rare ones).
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
VOCAB = 200_000
PARAGRAPHS_PER_ARTICLE = 7
WORDS_PER_PARAGRAPH = 60

_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["an", "er", "in", "on", "ul", "ar"]
_SENT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'])")


def _pseudo_word(rank: int) -> str:
    """A pronounceable, unique word for vocabulary rank `rank` (frequent ranks get short words)."""
    n = len(_SYLLABLES)
    parts = []
    r = rank + n  # at least two syllables: no collision with real 2-letter words
    while r:
        r, d = divmod(r, n)
        parts.append(_SYLLABLES[d])
    return "".join(parts) + "x"  # the trailing x keeps stemmers from conflating neighbours


@lru_cache(maxsize=1)
def vocabulary() -> list[str]:
    return [_pseudo_word(i) for i in range(VOCAB)]


@lru_cache(maxsize=1)
def _cdf() -> np.ndarray:
    p = 1.0 / (np.arange(1, VOCAB + 1) + 10.0)
    return np.cumsum(p / p.sum())


def zipf_ids(rng: np.random.Generator, size: int) -> np.ndarray:
    return np.minimum(np.searchsorted(_cdf(), rng.random(size)), VOCAB - 1).astype(np.int32)


def zipf_token_docs(n: int, seed: int = 0) -> list[list[str]]:
    """n token lists of 40-80 pseudo-words (shared str objects, so a million docs stay small)."""
    rng = np.random.default_rng(seed)
    words = vocabulary()
    lens = rng.integers(40, 81, n)
    out: list[list[str]] = []
    for a in range(0, n, 20_000):
        ln = lens[a : a + 20_000]
        flat = zipf_ids(rng, int(ln.sum())).tolist()
        bounds = np.concatenate(([0], np.cumsum(ln))).tolist()
        out.extend([words[i] for i in flat[x:y]] for x, y in zip(bounds[:-1], bounds[1:], strict=True))
    return out


def zipf_token_queries(docs: list[list[str]], nq: int, seed: int = 0) -> list[list[str]]:
    """2-6 terms from a random doc: each either any of its terms (often common) or one of its rarest."""
    rng = random.Random(seed + 1)
    rank = {w: i for i, w in enumerate(vocabulary())}
    out = []
    for _ in range(nq):
        d = docs[rng.randrange(len(docs))]
        rare = sorted(set(d), key=rank.__getitem__, reverse=True)[:5]
        out.append([rng.choice(d) if rng.random() < 0.5 else rng.choice(rare) for _ in range(rng.randint(2, 6))])
    return out


# ------------------------------------------------------------------ real sentences and questions


@lru_cache(maxsize=1)
def _real() -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """{language: sentences} and [(language, question)] from ../shared/data (read in place)."""
    sents: dict[str, list[str]] = {}
    questions: list[tuple[str, str]] = []
    squad = [("xquad/xquad.en.json", "en"), ("xquad/xquad.de.json", "de"), ("xquad/xquad.es.json", "es"),
             ("squad-id/squad-id.dev-v2.0.json", "id")]
    for rel, lang in squad:
        path = DATA / rel
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
        for art in data:
            for para in art["paragraphs"]:
                sents.setdefault(lang, []).extend(s.strip() for s in _SENT_RE.split(para["context"]) if s.strip())
                questions.extend((lang, qa["question"]) for qa in para["qas"] if not qa.get("is_impossible"))
    facqa = DATA / "facqa" / "train.csv"
    if facqa.exists():
        import ast

        seen = set()
        with facqa.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                text = re.sub(r" ([.,;:!?)])", r"\1", " ".join(ast.literal_eval(row["passage"])))
                q = re.sub(r" ([.,;:!?)])", r"\1", " ".join(ast.literal_eval(row["question"])))
                questions.append(("id", q))
                if text not in seen:
                    seen.add(text)
                    sents.setdefault("id", []).append(text)
    if not sents:  # no development data: pseudo text only (still deterministic)
        sents = {"en": ["The report was published on Monday."]}
    return sents, questions


def _pseudo_sentence(rng: random.Random, ids: Iterator[int], words: list[str], n: int) -> str:
    toks = [words[next(ids)] for _ in range(n)]
    return " ".join(toks).capitalize() + "."


def articles(n_articles: int, seed: int = 0, start: int = 0) -> Iterator[dict]:
    """Article dicts (title, text, language, source, url) -- number `start` .. `start + n_articles - 1`.

    Deterministic per article number, so any slice can be regenerated without the ones before it.
    """
    sents, _ = _real()
    langs = sorted(sents)
    words = vocabulary()
    for i in range(start, start + n_articles):
        rng = random.Random(seed * 1_000_003 + i)
        nprng = np.random.default_rng([seed, i])
        lang = langs[i % len(langs)]
        pool = sents[lang]
        ids = iter(zipf_ids(nprng, 2000).tolist())
        paras = []
        for _ in range(PARAGRAPHS_PER_ARTICLE):
            parts = [rng.choice(pool) for _ in range(rng.randint(1, 2))]
            words_so_far = sum(len(p.split()) for p in parts)
            while words_so_far < WORDS_PER_PARAGRAPH - 4:
                k = min(rng.randint(6, 14), WORDS_PER_PARAGRAPH - words_so_far)
                parts.insert(rng.randrange(len(parts) + 1), _pseudo_sentence(rng, ids, words, k))
                words_so_far += k
            paras.append(" ".join(parts))
        title = _pseudo_sentence(rng, ids, words, 6)[:-1]
        yield {
            "title": title,
            "text": "\n\n".join(paras),
            "language": lang,
            "source": "bench",
            "url": f"https://news.example/{seed}/{i}",
        }


def questions(n: int, seed: int = 0, n_articles: int = 1000) -> list[str]:
    """Half real development questions, half synthetic ones about a random article of the corpus."""
    _, real = _real()
    rng = random.Random(seed + 7)
    words = vocabulary()
    rank = {w: r for r, w in enumerate(words)}
    out = []
    for j in range(n):
        if real and j % 2 == 0:
            out.append(real[rng.randrange(len(real))][1])
            continue
        art = next(articles(1, seed, start=rng.randrange(n_articles)))
        para = rng.choice(art["text"].split("\n\n"))
        toks = [w.strip(".,") for w in para.split()]
        pseudo = [w.lower() for w in toks if w.lower() in rank]
        rare = sorted(set(pseudo), key=rank.__getitem__, reverse=True)[:3]
        pick = rng.sample(rare, min(len(rare), rng.randint(1, 2))) + rng.sample(toks, 3)
        rng.shuffle(pick)
        out.append(rng.choice(["What about", "Where is", "Who said", "When did"]) + " " + " ".join(pick) + "?")
    return out


def same_topk(ours: list[tuple[int, float]], ref_scores: np.ndarray, k: int = 10, keys: np.ndarray | None = None,
              tol: float = 1e-6) -> bool:
    """Is `ours` ((key, score) best first) BM25Okapi's top-k, given Okapi's full score array?

    Exact up to ties: every returned key has Okapi's score for that key (within tol), and the returned scores
    are Okapi's k best positive scores (within tol).  Which of several docs tied at the k-th score is returned
    is not a difference (summation order makes "equal" scores differ by 1e-16 in either engine).
    `keys[i]` is the key of ref_scores[i] (default: the index itself).
    """
    pos = {int(key): i for i, key in enumerate(keys)} if keys is not None else None
    best = np.sort(ref_scores[ref_scores > 0])[::-1][:k]
    if len(ours) != best.size:
        return False
    for (key, s), b in zip(ours, best, strict=True):
        i = pos[key] if pos is not None else key
        if abs(ref_scores[i] - s) > tol or abs(s - b) > tol:
            return False
    return True
