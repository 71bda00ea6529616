"""The BM25 reference the index is compared with: rank_bm25.BM25Okapi, with the index's one departure."""

from __future__ import annotations

import math
from collections import Counter

from rank_bm25 import BM25Okapi


def okapi(docs: list[list[str]]) -> BM25Okapi:
    """BM25Okapi on the docs; when rank_bm25's rule gives no term a positive idf (average idf <= 0: a collection
    of one or two passages), every idf is Lucene's log(1 + (N - df + .5) / (df + .5)), as in the index."""
    ref = BM25Okapi(docs)
    if ref.average_idf <= 0:
        df = Counter(w for d in docs for w in set(d))
        ref.idf = {w: math.log1p((len(docs) - n + 0.5) / (n + 0.5)) for w, n in df.items()}
    return ref
