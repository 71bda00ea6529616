"""In-memory Okapi BM25 index with scores identical to ``rank_bm25.BM25Okapi``.

Why not just ``BM25Okapi``: it scores every document in Python per query term and cannot be updated.
This index keeps the exact same maths (float64, same idf/epsilon rule, same length normalisation, duplicate
query terms counted twice) but stores postings in immutable CSR *segments* (log-structured, merged
geometrically so each posting is rewritten O(log N) times) and scores only the documents that contain a
query term.  ``search`` is additionally rank-safe pruned (MaxScore): once the k-th best partial score can no
longer be beaten by a document that only contains the remaining (common, low-idf) terms, those terms are
only looked up for the surviving candidates instead of being scanned in full.

Layout
------
* Every document gets a fresh internal *position* (never reused); ``key -> position`` is a dict.
  Per-position numpy arrays: key, length, alive, internal group id, public flag.
* A segment covers a contiguous position range ``[lo, hi)`` and holds
  - term-major postings: sorted unique term ids ``tids``, offsets ``tptr``, ``docs`` (int32 positions,
    ascending inside each term run) and ``tf`` (uint16, or int32 if a count does not fit);
  - a forward index (``fptr``/``fterms``: each document's unique term ids) so ``remove(key)`` can decrement
    document frequencies without being given the terms.  Cost: 4 bytes per posting + 8 bytes per position
    (roughly +65 % over the inverted postings alone; ~190 MB at 1 M docs of 60 tokens).
* Deletes are tombstones (``alive``) that take effect for N/df/avgdl immediately; postings of dead docs are
  dropped whenever their segment is merged or rewritten (a segment that is more than half dead is rewritten).
* df is maintained on add/remove; the idf vector and the per-document length-normalisation constant are
  recomputed lazily (vectorised, O(V + positions), ~4 ms at 1 M docs) on the first query after a mutation.
* Every ``add``/``add_many`` call writes one new segment (bulk builds: chunked two-pass count+scatter, so
  peak memory is the output plus one chunk).  The newest two segments are merged while the newer one is at
  least half the older (segment count O(log postings)); merging needs no sort because each part is already
  term-major and position-ascending.  A merge into the largest segment runs inline under the lock (about
  a second at 1 M docs, amortised over as many adds).
* ``search`` keeps one reusable float64 accumulator sized to the number of positions (8 bytes/position).

Thread safety: one ``threading.RLock`` guards every public method.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path

import numpy as np

__all__ = ["BM25Index"]

_FORMAT = "articlebot-bm25-v1"
# Lists shorter than this are always scored in full; checking the MaxScore bound costs about as much.
_PRUNE_MIN_POSTINGS = 20_000


class _Vocab(dict):
    """term -> id; ``vocab[term]`` inserts unknown terms (C-speed lookup for known ones)."""

    def __missing__(self, term: str) -> int:
        tid = len(self)
        self[term] = tid
        return tid


class _Segment:
    """Immutable postings for positions ``[lo, hi)``."""

    __slots__ = ("lo", "hi", "tids", "tptr", "docs", "tf", "fptr", "fterms", "written", "dead")

    def __init__(self, lo: int, hi: int, tids: np.ndarray, tptr: np.ndarray, docs: np.ndarray,
                 tf: np.ndarray, fptr: np.ndarray, fterms: np.ndarray) -> None:
        self.lo = lo
        self.hi = hi
        self.tids = tids
        self.tptr = tptr
        self.docs = docs
        self.tf = tf
        self.fptr = fptr
        self.fterms = fterms
        self.written = hi - lo  # live documents when the segment was written
        self.dead = 0  # documents of this segment removed since it was written

    @property
    def size(self) -> int:
        """Merge weight: postings plus positions (so segments of empty docs still count)."""
        return int(self.docs.size) + (self.hi - self.lo)

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.tids, self.tptr, self.docs, self.tf, self.fptr, self.fterms))


_SEG_ARRAYS = ("tids", "tptr", "docs", "tf", "fptr", "fterms")


# Bulk builds work on chunks of this many documents so sort temporaries stay small (~20 MB per 10k docs).
_BUILD_CHUNK = 32_768
# Merges scatter postings in blocks of about this many, bounding int64 temporaries.
_MERGE_BLOCK = 1 << 22


def _chunk_pairs(flat: np.ndarray, lens: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unique (term, local doc) pairs of a chunk, term-major then doc ascending, with their tf."""
    n = int(lens.size)
    if flat.size == 0:
        e = np.zeros(0, dtype=np.int64)
        return e, e, e
    key = flat.astype(np.int64) * n + np.repeat(np.arange(n, dtype=np.int64), lens)
    key.sort()  # one SIMD sort: tf = run length of equal keys
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    tf = np.diff(np.append(starts, key.size))
    uniq = key[starts]
    del key
    term = uniq // n
    doc = uniq - term * n
    return term, doc, tf


def _forward(term: np.ndarray, doc: np.ndarray, vmax: int) -> np.ndarray:
    """Unique term ids in doc-major order (the forward index rows) from term-major pairs."""
    fkey = doc * vmax + term
    fkey.sort()
    return (fkey % vmax).astype(np.int32)


def _runs(term_sorted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct values, run lengths) of a sorted array."""
    if term_sorted.size == 0:
        return term_sorted[:0], np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], term_sorted[1:] != term_sorted[:-1])))
    return term_sorted[starts], np.diff(np.append(starts, term_sorted.size))


def _build_segment(lo: int, flat: np.ndarray, lens: np.ndarray) -> _Segment:
    """Build one segment for positions ``lo..lo+len(lens)`` from token ids in document order.

    Two passes over document chunks (count, then scatter into preallocated arrays) so peak memory is the
    output plus one chunk's temporaries, not a second copy of all postings.
    """
    n = int(lens.size)
    bounds = np.concatenate(([0], np.cumsum(lens)))
    chunks = [(a, min(a + _BUILD_CHUNK, n)) for a in range(0, n, _BUILD_CHUNK)] or [(0, 0)]
    vmax = int(flat.max()) + 1 if flat.size else 1
    counts = np.zeros(vmax, dtype=np.int64)
    doc_counts = np.zeros(n, dtype=np.int64)
    tf_max = 0
    cached = None
    for a, e in chunks:
        term, doc, tf = _chunk_pairs(flat[bounds[a]:bounds[e]], lens[a:e])
        counts += np.bincount(term, minlength=vmax)
        doc_counts[a:e] = np.bincount(doc, minlength=e - a)
        tf_max = max(tf_max, int(tf.max()) if tf.size else 0)
        if len(chunks) == 1:
            cached = (term, doc, tf)
    total = int(counts.sum())
    tids = np.flatnonzero(counts).astype(np.int32)
    tstart = np.zeros(vmax + 1, dtype=np.int64)
    np.cumsum(counts, out=tstart[1:])
    tptr = np.append(tstart[tids], total)
    docs = np.empty(total, dtype=np.int32)
    tfs = np.empty(total, dtype=np.uint16 if tf_max <= np.iinfo(np.uint16).max else np.int32)
    fterms = np.empty(total, dtype=np.int32)
    fptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(doc_counts, out=fptr[1:])
    cursor = tstart[:-1]
    for a, e in chunks:
        term, doc, tf = cached if cached is not None else _chunk_pairs(flat[bounds[a]:bounds[e]], lens[a:e])
        ut, rl = _runs(term)
        first = np.cumsum(rl) - rl
        dest = np.repeat(cursor[ut] - first, rl) + np.arange(term.size, dtype=np.int64)
        docs[dest] = doc + (lo + a)
        tfs[dest] = tf
        cursor[ut] += rl
        fterms[fptr[a]:fptr[e]] = _forward(term, doc, vmax)
    return _Segment(lo, lo + n, tids, tptr, docs, tfs, fptr, fterms)


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    """np.unique without its hash path (much slower on large int arrays in numpy 2.x): SIMD sort + diff."""
    a = np.sort(a)
    if a.size > 1:
        a = a[np.concatenate(([True], a[1:] != a[:-1]))]
    return a


def _runs_index(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(s, e)`` for all pairs, vectorised."""
    lens = ends - starts
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offs = np.repeat(starts - np.concatenate(([0], np.cumsum(lens)[:-1])), lens)
    return np.arange(total, dtype=np.int64) + offs


class BM25Index:
    """Incrementally updatable BM25 index; see the module docstring for the design."""

    def __init__(self, k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25) -> None:
        self.k1 = float(k1)
        self.b = float(b)
        self.epsilon = float(epsilon)
        self._lock = threading.RLock()
        # Told of every change, in order, under the index's lock ("add", "remove" or "public" and the arguments
        # that repeat it): how the bot's answer process keeps its copy equal (`articlebot.answer_process`).
        self.on_change: Callable[[str, tuple], None] | None = None
        self._vocab = _Vocab()
        self._df = np.zeros(1024, dtype=np.int64)
        self._key2pos: dict[int, int] = {}
        self._group2gid: dict[int, int] = {}
        self._gids_ext: list[int] = []
        self._npos = 0
        cap = 1024
        self._keys = np.zeros(cap, dtype=np.int64)
        self._dl = np.zeros(cap, dtype=np.int64)
        self._alive = np.zeros(cap, dtype=bool)
        self._gid = np.zeros(cap, dtype=np.int32)
        self._public = np.zeros(cap, dtype=bool)
        self._segs: list[_Segment] = []
        self._nlive = 0
        self._total_len = 0
        self._dirty = True
        self._idf = np.zeros(0)
        self._kd = np.zeros(0)  # per position: k1 * (1 - b + b * dl / avgdl)
        self._buf = np.zeros(0)  # reusable score accumulator, all zeros between queries
        # Check the MaxScore bound only before lists this long and this much longer than the work so far;
        # tests set both to 0 to exercise the pruned path on small corpora.
        self._prune_min = _PRUNE_MIN_POSTINGS
        self._prune_ratio = 0.5

    # ------------------------------------------------------------------ storage helpers
    def _reserve(self, npos: int) -> None:
        cap = self._keys.size
        if npos <= cap:
            return
        new = max(npos, cap * 2)
        for name in ("_keys", "_dl", "_alive", "_gid", "_public"):
            old = getattr(self, name)
            arr = np.zeros(new, dtype=old.dtype)
            arr[: self._npos] = old[: self._npos]
            setattr(self, name, arr)

    def _reserve_vocab(self) -> None:
        v = len(self._vocab)
        if v > self._df.size:
            df = np.zeros(max(v, self._df.size * 2), dtype=np.int64)
            df[: self._df.size] = self._df
            self._df = df

    def _group_ids(self, groups: Sequence[int]) -> np.ndarray:
        garr = np.asarray(groups, dtype=np.int64)
        uniq, inv = np.unique(garr, return_inverse=True)
        mapped = np.empty(uniq.size, dtype=np.int32)
        for i, g in enumerate(uniq.tolist()):
            gid = self._group2gid.get(g)
            if gid is None:
                gid = self._group2gid[g] = len(self._gids_ext)
                self._gids_ext.append(g)
            mapped[i] = gid
        return mapped[inv.reshape(-1)]

    # ------------------------------------------------------------------ mutation
    def add(self, key: int, terms: Sequence[str], group: int, public: bool = False) -> None:
        """Add (or replace) one passage; visible to the next search."""
        if isinstance(terms, str):
            raise TypeError("terms must be a sequence of tokens, not a string")
        self.add_many([key], [terms], [group], [public])

    def add_many(self, keys: Sequence[int], terms_lists: Sequence[Sequence[str]], groups: Sequence[int],
                 publics: Sequence[bool]) -> None:
        """Bulk add: one vectorised segment build instead of per-document work."""
        n = len(keys)
        if not (len(terms_lists) == len(groups) == len(publics) == n):
            raise ValueError("keys, terms_lists, groups and publics must have the same length")
        if n == 0:
            return
        lens = np.fromiter(map(len, terms_lists), dtype=np.int64, count=n)
        total = int(lens.sum())
        karr = np.asarray(keys, dtype=np.int64)  # validate before touching any state
        parr = np.asarray(publics, dtype=bool)
        with self._lock:
            vocab = self._vocab
            flat = np.fromiter(map(vocab.__getitem__, itertools.chain.from_iterable(terms_lists)),
                               dtype=np.int32, count=total)
            self._reserve_vocab()
            gids = self._group_ids(groups)
            lo = self._npos
            self._reserve(lo + n)
            # Keys: replacement of existing keys and duplicates inside the batch (last one wins).
            to_remove: list[int] = []
            k2p = self._key2pos
            if not k2p and np.unique(karr).size == n:
                k2p.update(zip(karr.tolist(), range(lo, lo + n), strict=True))
            else:
                for i, key in enumerate(karr.tolist()):
                    old = k2p.get(key)
                    if old is not None:
                        to_remove.append(old)
                    k2p[key] = lo + i
            sl = slice(lo, lo + n)
            self._keys[sl] = karr
            self._dl[sl] = lens
            self._alive[sl] = True
            self._gid[sl] = gids
            self._public[sl] = parr
            self._npos = lo + n
            self._nlive += n
            self._total_len += total
            seg = _build_segment(lo, flat, lens)
            del flat
            self._df[seg.tids] += np.diff(seg.tptr)  # tids are unique within a segment
            self._segs.append(seg)
            self._dirty = True
            if to_remove:
                self._remove_positions(np.asarray(to_remove, dtype=np.int64))
            self._maybe_merge()
            if self.on_change is not None:
                self.on_change("add", (karr.tolist(), [list(t) for t in terms_lists], list(groups), parr.tolist()))

    def remove(self, key: int) -> bool:
        """Delete one passage; returns False if the key is unknown."""
        with self._lock:
            pos = self._key2pos.pop(int(key), None)
            if pos is None:
                return False
            self._remove_positions(np.asarray([pos], dtype=np.int64))
            if self.on_change is not None:
                self.on_change("remove", ([int(key)],))
            return True

    def remove_many(self, keys: Iterable[int]) -> int:
        """Delete many passages; returns how many existed."""
        with self._lock:
            keys = [int(k) for k in keys]
            found = [p for p in (self._key2pos.pop(k, None) for k in keys) if p is not None]
            if found:
                self._remove_positions(np.asarray(found, dtype=np.int64))
                if self.on_change is not None:
                    self.on_change("remove", (keys,))
            return len(found)

    def set_public(self, key: int, public: bool) -> None:
        """Flip the public flag of an existing passage (KeyError if unknown)."""
        with self._lock:
            self._public[self._key2pos[int(key)]] = bool(public)
            if self.on_change is not None:
                self.on_change("public", (int(key), bool(public)))

    def _remove_positions(self, pos: np.ndarray) -> None:
        """Tombstone live positions and decrement df through the forward index."""
        pos = _sorted_unique(pos)
        pos = pos[self._alive[pos]]
        if pos.size == 0:
            return
        self._alive[pos] = False
        self._nlive -= int(pos.size)
        self._total_len -= int(self._dl[pos].sum())
        self._dirty = True
        los = np.fromiter((s.lo for s in self._segs), dtype=np.int64, count=len(self._segs))
        which = np.searchsorted(los, pos, side="right") - 1
        rewrite = []
        for si in np.unique(which).tolist():
            seg = self._segs[si]
            local = pos[which == si] - seg.lo
            idx = _runs_index(seg.fptr[local], seg.fptr[local + 1])
            terms = seg.fterms[idx]
            if terms.size:
                if local.size == 1:
                    self._df[terms] -= 1  # unique within one document
                else:
                    np.subtract.at(self._df, terms, 1)
            seg.dead += int(local.size)
            if seg.dead * 2 > seg.written:
                rewrite.append(si)
        for si in rewrite:
            self._segs[si] = self._merge([self._segs[si]])
        self._segs = [s for s in self._segs if s.written > s.dead]

    def _maybe_merge(self) -> None:
        """Geometric merge policy: merge the newest two while the newer is at least half the older."""
        segs = self._segs
        while len(segs) >= 2 and segs[-2].size <= 2 * segs[-1].size:
            merged = self._merge(segs[-2:])
            segs[-2:] = [merged]

    def _merge(self, parts: list[_Segment]) -> _Segment:
        """Merge adjacent segments (ascending positions), dropping postings of dead documents.

        No sorting: per term, the merged run is the concatenation of the parts' runs, so each posting is
        scattered straight to ``merged_start[term] + (earlier parts' count) + rank in its run``.
        """
        lo, hi = parts[0].lo, parts[-1].hi
        alive = self._alive
        vmax = max((int(p.tids[-1]) + 1 for p in parts if p.tids.size), default=1)
        counts = np.zeros(vmax, dtype=np.int64)
        kept = []
        big_tf = False
        for p in parts:
            keep = alive[p.docs]
            if keep.all():
                keep = None
                rl = np.diff(p.tptr)
            else:
                rl = np.add.reduceat(keep, p.tptr[:-1], dtype=np.int64) if p.tids.size else np.diff(p.tptr)
            counts[p.tids] += rl
            kept.append((keep, rl))
            big_tf |= p.tf.dtype != np.uint16
        total = int(counts.sum())
        tids = np.flatnonzero(counts).astype(np.int32)
        tstart = np.zeros(vmax + 1, dtype=np.int64)
        np.cumsum(counts, out=tstart[1:])
        tptr = np.append(tstart[tids], total)
        docs = np.empty(total, dtype=np.int32)
        tfs = np.empty(total, dtype=np.int32 if big_tf else np.uint16)
        cursor = tstart[:-1]
        rowlen = np.zeros(hi - lo, dtype=np.int64)
        fterms_l = []
        for p, (keep, rl) in zip(parts, kept, strict=True):
            pd, ptf = (p.docs, p.tf) if keep is None else (p.docs[keep], p.tf[keep])
            nz = rl > 0
            ut, rl = p.tids[nz], rl[nz]
            ends = np.cumsum(rl)
            # blocks of whole runs, ~_MERGE_BLOCK postings each, bound the int64 temporaries
            cuts = np.searchsorted(ends, np.arange(_MERGE_BLOCK, int(ends[-1]) if ends.size else 0,
                                                   _MERGE_BLOCK))
            for ra, rb in zip(np.concatenate(([0], cuts)).tolist(), np.append(cuts, ut.size).tolist(),
                              strict=True):
                if ra >= rb:
                    continue
                a = int(ends[ra - 1]) if ra else 0
                e = int(ends[rb - 1])
                brl = rl[ra:rb]
                first = np.cumsum(brl) - brl
                but = ut[ra:rb]
                dest = np.repeat(cursor[but] - first, brl) + np.arange(e - a, dtype=np.int64)
                docs[dest] = pd[a:e]
                tfs[dest] = ptf[a:e]
                cursor[but] += brl
            live = alive[p.lo:p.hi]
            rowlen[p.lo - lo:p.hi - lo] = np.diff(p.fptr) * live
            fterms_l.append(p.fterms if live.all() else p.fterms[np.repeat(live, np.diff(p.fptr))])
        fptr = np.zeros(hi - lo + 1, dtype=np.int64)
        np.cumsum(rowlen, out=fptr[1:])
        fterms = fterms_l[0] if len(fterms_l) == 1 else np.concatenate(fterms_l)
        seg = _Segment(lo, hi, tids, tptr, docs, tfs, fptr, fterms)
        seg.written = int(alive[lo:hi].sum())
        return seg

    # ------------------------------------------------------------------ scoring
    def _refresh(self) -> None:
        """Recompute idf (rank_bm25 rules) and per-doc length normalisation after mutations."""
        if not self._dirty:
            return
        v = len(self._vocab)
        df = self._df[:v]
        idf = np.zeros(v, dtype=np.float64)
        present = df > 0
        if self._nlive and present.any():
            d = df[present].astype(np.float64)
            vals = np.log(self._nlive - d + 0.5) - np.log(d + 0.5)
            avg = float(vals.sum()) / vals.size
            if avg > 0:
                vals[vals < 0] = self.epsilon * avg
            else:
                # A collection of one or two passages: rank_bm25's rule gives no term a positive idf (its scores
                # would rank a passage with more matches lower), so Lucene's smoothed idf, always > 0, is used.
                vals = np.log1p((self._nlive - d + 0.5) / (d + 0.5))
            idf[present] = vals
        self._idf = idf
        if self._nlive and self._total_len:
            avgdl = self._total_len / self._nlive
            k1, b = self.k1, self.b
            self._kd = k1 * (1 - b) + (k1 * b / avgdl) * self._dl[: self._npos].astype(np.float64)
        else:
            self._kd = np.full(self._npos, self.k1 * (1 - self.b))
        if self._buf.size < self._npos:
            self._buf = np.zeros(max(self._npos, int(self._buf.size * 1.5)), dtype=np.float64)
        self._dirty = False

    def _query_weights(self, query_terms: Sequence[str]) -> tuple[list[int], list[float]]:
        """Distinct known query terms with weight count*idf (duplicates count twice, as in rank_bm25)."""
        vocab = self._vocab
        counts = Counter(vocab.get(t) for t in query_terms)
        counts.pop(None, None)
        tids, ws = [], []
        for tid, c in counts.items():
            if self._df[tid] > 0:
                w = c * float(self._idf[tid])
                if w != 0.0:
                    tids.append(tid)
                    ws.append(w)
        return tids, ws

    def _postings(self, tids: list[int]) -> list[list[tuple[_Segment, np.ndarray, np.ndarray]]]:
        """Per query term, its (segment, docs, tf) runs in ascending position order."""
        out: list[list[tuple[_Segment, np.ndarray, np.ndarray]]] = [[] for _ in tids]
        q = np.asarray(tids, dtype=np.int32)
        for seg in self._segs:
            if seg.tids.size == 0:
                continue
            idx = np.searchsorted(seg.tids, q)
            idx_c = np.minimum(idx, seg.tids.size - 1)
            hit = seg.tids[idx_c] == q
            if not hit.any():
                continue
            for j in np.flatnonzero(hit).tolist():
                i = int(idx_c[j])
                a, e = int(seg.tptr[i]), int(seg.tptr[i + 1])
                out[j].append((seg, seg.docs[a:e], seg.tf[a:e]))
        return out

    def _contrib(self, docs: np.ndarray, tf: np.ndarray, w: float) -> np.ndarray:
        """w * tf*(k1+1) / (tf + k1*(1-b+b*dl/avgdl)) for each posting."""
        tff = tf.astype(np.float64)
        den = self._kd[docs]
        den += tff
        tff *= w * (self.k1 + 1)
        tff /= den
        return tff

    @staticmethod
    def _cat(runs: list[tuple[_Segment, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        if len(runs) == 1:
            return runs[0][1], runs[0][2]
        if not runs:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint16)
        return np.concatenate([r[1] for r in runs]), np.concatenate([r[2].astype(np.int32) for r in runs])

    def _dense_scores(self, tids: list[int], ws: list[float]) -> tuple[np.ndarray, list[np.ndarray]]:
        dense = np.zeros(self._npos, dtype=np.float64)
        touched = []
        for runs, w in zip(self._postings(tids), ws, strict=True):
            docs, tf = self._cat(runs)
            if docs.size:
                dense[docs] += self._contrib(docs, tf, w)
                touched.append(docs)
        return dense, touched

    def get_scores(self, query_terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(live keys ascending, BM25 scores) -- dense, for tests and evaluation."""
        with self._lock:
            self._refresh()
            live = np.flatnonzero(self._alive[: self._npos])
            keys = self._keys[live]
            order = np.argsort(keys, kind="stable")
            tids, ws = self._query_weights(query_terms)
            if not tids:
                return keys[order], np.zeros(live.size, dtype=np.float64)
            dense, _ = self._dense_scores(tids, ws)
            return keys[order], dense[live[order]]

    def _allowed(self, pos: np.ndarray, gmask: np.ndarray | None) -> np.ndarray:
        ok = self._alive[pos]
        if gmask is not None:
            ok &= self._public[pos] | gmask[self._gid[pos]]
        return ok

    def _topk(self, pos: np.ndarray, s: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Best k by score desc, key asc; only positive scores."""
        m = s > 0
        pos, s = pos[m], s[m]
        if s.size > k:
            kth = np.partition(s, s.size - k)[s.size - k]
            m = s >= kth
            pos, s = pos[m], s[m]
        keys = self._keys[pos]
        order = np.lexsort((keys, -s))[:k]
        return list(zip(keys[order].tolist(), s[order].tolist(), strict=True))

    @staticmethod
    def _at_least_kth(s: np.ndarray, k: int) -> np.ndarray:
        """Mask of the scores at least the k-th best of `s` (ties included); len(s) >= k."""
        return s >= np.partition(s, s.size - k)[s.size - k]

    def _topk_allowed(self, pos: np.ndarray, s: np.ndarray, k: int, gmask: np.ndarray | None) -> list[tuple[int, float]]:
        """`_topk` of the allowed positions (`_allowed`), checking first only those scoring at least the k-th best
        of all: when k of them are allowed, no other can enter the top k (each scores below k allowed ones), so
        the result is the same without reading the collection of every touched position (most are allowed)."""
        if s.size > k:
            m = self._at_least_kth(s, k)
            top_pos, top_s = pos[m], s[m]
            ok = self._allowed(top_pos, gmask)
            if int(np.count_nonzero(ok)) >= k:
                return self._topk(top_pos[ok], top_s[ok], k)
        ok = self._allowed(pos, gmask)
        return self._topk(pos[ok], s[ok], k)

    def _kth_allowed(self, pos: np.ndarray, s: np.ndarray, k: int, gmask: np.ndarray | None) -> float | None:
        """The k-th best score among the allowed positions, None when fewer are allowed; like `_topk_allowed`, the
        positions scoring at least the k-th best of all are checked first."""
        if s.size < k:
            return None
        m = self._at_least_kth(s, k)
        sa = s[m][self._allowed(pos[m], gmask)]
        if sa.size < k:
            sa = s[self._allowed(pos, gmask)]
            if sa.size < k:
                return None
        return float(np.partition(sa, sa.size - k)[sa.size - k])

    def search(self, query_terms: Sequence[str], k: int = 10,
               groups: Collection[int] | None = None) -> list[tuple[int, float]]:
        """Top-k (key, score), best first, restricted to `groups` or public docs (None = all docs)."""
        with self._lock:
            if k <= 0 or self._nlive == 0:
                return []
            self._refresh()
            gmask = None
            if groups is not None:
                gmask = np.zeros(len(self._gids_ext) + 1, dtype=bool)
                gi = [self._group2gid[g] for g in groups if g in self._group2gid]
                gmask[gi] = True
            tids, ws = self._query_weights(query_terms)
            if not tids:
                return []
            if min(ws) < 0:
                # Negative weights (average idf < 0, tiny odd corpora): partial scores are not lower bounds.
                dense, touched = self._dense_scores(tids, ws)
                cand = _sorted_unique(np.concatenate(touched)) if touched else np.zeros(0, dtype=np.int64)
                cand = cand[self._allowed(cand, gmask)]
                return self._topk(cand, dense[cand], k)
            try:
                return self._search_maxscore(tids, ws, k, gmask)
            except BaseException:
                self._buf[:] = 0.0  # never leave partial sums behind for the next query
                raise

    def _search_maxscore(self, tids: list[int], ws: list[float], k: int,
                         gmask: np.ndarray | None) -> list[tuple[int, float]]:
        """Term-at-a-time with MaxScore pruning; all weights are > 0 here."""
        postings = self._postings(tids)
        plen = [sum(int(r[1].size) for r in runs) for runs in postings]
        order = sorted(range(len(tids)), key=lambda j: plen[j])
        ub = [ws[j] * (self.k1 + 1) for j in order]  # tf/(tf+K) < 1
        rest = [sum(ub[i + 1:]) for i in range(len(order))]
        buf = self._buf
        touched: list[np.ndarray] = []
        n_touched = 0
        switch_at = len(order)
        cand = None
        theta = 0.0
        for i, j in enumerate(order):
            docs, tf = self._cat(postings[j])
            if docs.size:
                if i:
                    buf[docs] += self._contrib(docs, tf, ws[j])
                else:  # buf is all zeros between queries: the first term's sums are its contributions
                    buf[docs] = self._contrib(docs, tf, ws[j])
                touched.append(docs)
                n_touched += int(docs.size)
            if i + 1 == len(order):
                break
            remaining = sum(plen[jj] for jj in order[i + 1:])
            # A check costs a few passes over the touched docs; skipping the rest saves ~10 passes over
            # `remaining`.  It cannot succeed while even a perfect partial score stays below the bound.
            if remaining < self._prune_min or remaining < self._prune_ratio * n_touched:
                continue
            if sum(ub[:i + 1]) < rest[i]:
                continue
            cand = self._collect(touched, n_touched)
            kth = self._kth_allowed(cand, buf[cand], k, gmask)
            if kth is not None:
                theta = kth
                if theta >= rest[i]:
                    switch_at = i + 1
                    break
        if cand is None or switch_at == len(order):
            cand = self._collect(touched, n_touched)
        s = buf[cand]  # (a copy: integer-array indexing)
        buf[cand] = 0.0
        if switch_at == len(order):
            return self._topk_allowed(cand, s, k, gmask)
        # Non-essential terms: only candidates that can still reach theta need them.
        r = rest[switch_at - 1]
        ok = s + r >= theta  # (then the collection check, on fewer positions: the same candidates, in order)
        cand, s = cand[ok], s[ok]
        ok = self._allowed(cand, gmask)
        cand, s = cand[ok], s[ok]
        kp1 = self.k1 + 1
        for j in order[switch_at:]:
            w = ws[j] * kp1
            for seg, docs, tf in postings[j]:
                a, e = np.searchsorted(cand, (seg.lo, seg.hi))
                if a == e:
                    continue
                sub = cand[a:e]
                idx = np.searchsorted(docs, sub)
                np.minimum(idx, docs.size - 1, out=idx)
                hit = docs[idx] == sub
                if not hit.any():
                    continue
                tff = tf[idx[hit]].astype(np.float64)
                seg_s = s[a:e]
                seg_s[hit] += w * tff / (tff + self._kd[sub[hit]])
        return self._topk(cand, s, k)

    def _collect(self, touched: list[np.ndarray], n_touched: int) -> np.ndarray:
        """Distinct touched positions (ascending) -- buf is > 0 exactly there."""
        if len(touched) == 1:
            return touched[0].astype(np.int64)
        if not touched:
            return np.zeros(0, dtype=np.int64)
        if n_touched * 8 < self._npos:
            return _sorted_unique(np.concatenate(touched)).astype(np.int64)
        # (nonzero of a boolean mask is vectorised; of the float64 buffer it was 5-8x slower: 0.40-0.65 ms at 100k)
        return np.flatnonzero(self._buf[: self._npos] != 0.0)

    # ------------------------------------------------------------------ introspection
    def idf(self, term: str) -> float:
        """The term's BM25 idf exactly as scoring uses it (rank_bm25 rules); 0.0 for a term no live doc has."""
        with self._lock:
            self._refresh()
            tid = self._vocab.get(term)
            return float(self._idf[tid]) if tid is not None and self._df[tid] > 0 else 0.0

    def known_idfs(self, terms: Iterable[str]) -> dict[str, float]:
        """`idf` of the terms some live doc has, in one call (one lock, one refresh): a misspelt word's ~500
        neighbours (`retrieval.spelling`) are mostly no term at all, and were looked up one by one."""
        if not isinstance(terms, Collection):
            terms = list(terms)  # read twice below
        with self._lock:
            self._refresh()
            vocab, df, idf = self._vocab, self._df, self._idf
            out: dict[str, float] = {}
            # The vocabulary's terms among them found in one pass in C, then only those read in Python (in the
            # given order): the loop over every neighbour was ~35 % of `corrections`.
            for term in filter((vocab.keys() & terms).__contains__, terms):
                tid = vocab[term]
                if df[tid] > 0:
                    out[term] = float(idf[tid])
            return out

    def __len__(self) -> int:
        return self._nlive

    def __contains__(self, key: object) -> bool:
        try:
            return int(key) in self._key2pos  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return False

    def stats(self) -> dict:
        """Sizes for /stats and capacity planning (approx_bytes includes a rough dict estimate)."""
        with self._lock:
            v = len(self._vocab)
            arrays = sum(s.nbytes for s in self._segs)
            arrays += sum(getattr(self, n).nbytes for n in ("_keys", "_dl", "_alive", "_gid", "_public",
                                                             "_df", "_idf", "_kd", "_buf"))
            dicts = 100 * len(self._key2pos) + 110 * v
            return {
                "docs": self._nlive,
                "terms": int((self._df[:v] > 0).sum()),
                "postings": sum(int(s.docs.size) for s in self._segs),
                "segments": len(self._segs),
                "approx_bytes": int(arrays + dicts),
            }

    # ------------------------------------------------------------------ persistence
    def save(self, path: Path) -> None:
        """Write one uncompressed .npz snapshot atomically (temp file in the same dir + os.replace)."""
        path = Path(path)
        with self._lock:
            npos = self._npos
            terms = [""] * len(self._vocab)
            for t, i in self._vocab.items():
                terms[i] = t
            arrays: dict[str, np.ndarray] = {
                "keys": self._keys[:npos].copy(), "dl": self._dl[:npos].copy(),
                "alive": self._alive[:npos].copy(), "gid": self._gid[:npos].copy(),
                "public": self._public[:npos].copy(), "df": self._df[: len(terms)].copy(),
                "groups": np.asarray(self._gids_ext, dtype=np.int64),
            }
            for i, s in enumerate(self._segs):  # segment arrays are immutable: no copy needed
                for name in _SEG_ARRAYS:
                    arrays[f"s{i}_{name}"] = getattr(s, name)
                arrays[f"s{i}_range"] = np.asarray([s.lo, s.hi, s.written, s.dead], dtype=np.int64)
            meta = {"format": _FORMAT, "k1": self.k1, "b": self.b, "epsilon": self.epsilon,
                    "segments": len(self._segs), "nlive": self._nlive, "total_len": self._total_len}
        blob = "".join(terms)
        arrays["vocab_blob"] = np.frombuffer(blob.encode("utf-8"), dtype=np.uint8)
        arrays["vocab_len"] = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, **arrays)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    @classmethod
    def load(cls, path: Path) -> BM25Index:
        """Inverse of :meth:`save`."""
        with np.load(Path(path), allow_pickle=False) as z:
            meta = json.loads(bytes(z["meta"]).decode())
            if meta.get("format") != _FORMAT:
                raise ValueError(f"not a BM25Index snapshot: {path}")
            idx = cls(meta["k1"], meta["b"], meta["epsilon"])
            blob = bytes(z["vocab_blob"]).decode("utf-8")
            ends = np.cumsum(z["vocab_len"]).tolist()
            starts = [0, *ends[:-1]] if ends else []  # an empty index has no vocabulary
            idx._vocab = _Vocab(zip((blob[a:e] for a, e in zip(starts, ends, strict=True)),
                                    range(len(ends)), strict=True))
            idx._df = z["df"].astype(np.int64)
            if idx._df.size == 0:
                idx._df = np.zeros(1024, dtype=np.int64)
            idx._keys = z["keys"].copy()
            npos = int(idx._keys.size)
            idx._npos = npos
            idx._dl = z["dl"].copy()
            idx._alive = z["alive"].copy()
            idx._gid = z["gid"].copy()
            idx._public = z["public"].copy()
            idx._gids_ext = z["groups"].tolist()
            idx._group2gid = {g: i for i, g in enumerate(idx._gids_ext)}
            live = np.flatnonzero(idx._alive)
            idx._key2pos = dict(zip(idx._keys[live].tolist(), live.tolist(), strict=True))
            idx._nlive = int(meta["nlive"])
            idx._total_len = int(meta["total_len"])
            segs = []
            for i in range(int(meta["segments"])):
                lo, hi, written, dead = z[f"s{i}_range"].tolist()
                seg = _Segment(lo, hi, *(z[f"s{i}_{n}"] for n in _SEG_ARRAYS))
                seg.written, seg.dead = written, dead
                segs.append(seg)
            idx._segs = segs
        if npos == 0:
            idx._reserve(1024)
        idx._dirty = True
        return idx


