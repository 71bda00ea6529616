"""BM25Index must score exactly like rank_bm25.BM25Okapi on the live corpus, however it got there."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from retrieval.index import BM25Index
from tests.bm25_reference import okapi

TOL = 1e-6


def zipf_corpus(rng: np.random.Generator, n: int, vocab: int = 3000) -> list[list[str]]:
    """Passages with a Zipf vocabulary, ~3 % empty, many repeated terms."""
    docs = []
    for _ in range(n):
        length = 0 if rng.random() < 0.03 else int(rng.integers(1, 80))
        ranks = rng.zipf(1.15, length)
        docs.append([f"w{r}" for r in ranks if r <= vocab])
    return docs


def make_queries(rng: np.random.Generator, corpus: list[list[str]], n: int = 50) -> list[list[str]]:
    """Mix of common (negative raw idf), rare, duplicated and unknown terms."""
    qs: list[list[str]] = [["w1"], ["w1", "w1", "w2"], ["nope"], [], ["w1", "w2", "w3", "w4"]]
    while len(qs) < n:
        d = corpus[int(rng.integers(len(corpus)))]
        q = [d[int(i)] for i in rng.integers(0, len(d), int(rng.integers(1, 5)))] if d else []
        q += [f"w{r}" for r in rng.zipf(1.3, int(rng.integers(0, 3)))]
        if rng.random() < 0.3 and q:
            q.append(q[0])
        if rng.random() < 0.2:
            q.append("unknown-term")
        qs.append(q)
    return qs


def test_one_or_two_passages_still_rank_by_matches() -> None:
    """rank_bm25 gives every term of a one-passage corpus a negative idf: its passage would score below zero for
    the very words it contains. The index ranks such tiny collections with positive idfs instead."""
    ix = BM25Index()
    ix.add(1, ["kantor", "munich", "bavaria"], 0)
    assert BM25Okapi([["kantor", "munich", "bavaria"]]).get_scores(["munich"])[0] < 0
    assert ix.search(["munich"], k=3)[0][0] == 1 and ix.idf("munich") > 0
    ix.add(2, ["kantor", "berlin"], 0)
    assert [key for key, _ in ix.search(["kantor", "munich"], k=3)] == [1, 2]
    assert ix.search(["berlin"], k=3)[0][0] == 2


def assert_same(ix: BM25Index, live: dict[int, list[str]], queries: list[list[str]],
                meta: dict[int, tuple[int, bool]] | None = None, groups: set[int] | None = None,
                k: int = 10) -> None:
    """get_scores and search(k) equal BM25Okapi rebuilt on the live docs (ties in any order)."""
    keys = sorted(live)
    assert len(ix) == len(keys)
    assert all(key in ix for key in keys)
    has_terms = any(live[key] for key in keys)
    ref = okapi([live[key] for key in keys]) if has_terms else None
    for q in queries:
        got_keys, got = ix.get_scores(q)
        assert got_keys.tolist() == keys
        exp = ref.get_scores(q) if ref is not None else np.zeros(len(keys))
        np.testing.assert_allclose(got, exp, rtol=0, atol=TOL)
        allowed = np.ones(len(keys), dtype=bool)
        if groups is not None:
            assert meta is not None
            allowed = np.array([meta[key][0] in groups or meta[key][1] for key in keys], dtype=bool)
        ok = (exp > 0) & allowed
        exp_top = np.sort(exp[ok])[::-1][:k]
        res = ix.search(q, k, groups=groups)
        res_scores = np.array([s for _, s in res])
        assert len(res) == len(exp_top), (q, res, exp_top)
        np.testing.assert_allclose(res_scores, exp_top, rtol=0, atol=TOL)
        assert all(res_scores[i] >= res_scores[i + 1] for i in range(len(res) - 1))
        pos = {key: i for i, key in enumerate(keys)}
        for key, s in res:
            assert allowed[pos[key]]
            assert abs(exp[pos[key]] - s) <= TOL
        assert len({key for key, _ in res}) == len(res)


def pruning(ix: BM25Index, on: bool) -> BM25Index:
    """Force the MaxScore path to be considered at every step (small corpora never reach the default)."""
    if on:
        ix._prune_min = 0
        ix._prune_ratio = 0.0
    return ix


@pytest.fixture(scope="module")
def corpus() -> list[list[str]]:
    return zipf_corpus(np.random.default_rng(42), 3000)


@pytest.mark.parametrize("prune", [False, True])
def test_bulk_matches_bm25okapi(corpus: list[list[str]], prune: bool) -> None:
    ix = pruning(BM25Index(), prune)
    ix.add_many(list(range(len(corpus))), corpus, [0] * len(corpus), [False] * len(corpus))
    live = dict(enumerate(corpus))
    queries = make_queries(np.random.default_rng(7), corpus)
    # sanity: the corpus really has negative-idf terms and empty docs
    ref = BM25Okapi(corpus)
    assert any(v == ref.epsilon * ref.average_idf for v in ref.idf.values())
    assert any(not d for d in corpus)
    assert_same(ix, live, queries)
    assert_same(ix, live, queries, k=1)
    assert_same(ix, live, queries, k=1000)


@pytest.mark.parametrize("prune", [False, True])
def test_incremental_adds_and_replace(corpus: list[list[str]], prune: bool) -> None:
    rng = np.random.default_rng(3)
    ix = pruning(BM25Index(), prune)
    live: dict[int, list[str]] = {}
    ix.add_many(list(range(1000)), corpus[:1000], [0] * 1000, [False] * 1000)
    live.update(enumerate(corpus[:1000]))
    for i in range(1000, 1400):  # single adds -> many small segments and merges
        ix.add(i, corpus[i], group=0)
        live[i] = corpus[i]
    for start in range(1400, 2000, 150):
        keys = list(range(start, start + 150))
        ix.add_many(keys, corpus[start:start + 150], [0] * 150, [False] * 150)
        live.update(zip(keys, corpus[start:start + 150], strict=True))
    for key in rng.choice(2000, 100, replace=False).tolist():  # re-add replaces
        new = corpus[2000 + key % 1000]
        ix.add(key, new, group=0)
        live[key] = new
    ix.add_many([5000, 5000], [["w1"], ["w2", "w3"]], [0, 0], [False, False])  # last one wins
    live[5000] = ["w2", "w3"]
    assert ix.stats()["segments"] < 20
    assert_same(ix, live, make_queries(rng, corpus))


@pytest.mark.parametrize("prune", [False, True])
def test_removes(corpus: list[list[str]], prune: bool) -> None:
    rng = np.random.default_rng(5)
    ix = pruning(BM25Index(), prune)
    ix.add_many(list(range(len(corpus))), corpus, [0] * len(corpus), [False] * len(corpus))
    live = dict(enumerate(corpus))
    queries = make_queries(rng, corpus)
    # every doc containing a mid-frequency term goes away -> term must behave as unknown
    victim = "w40"
    holders = [key for key, d in live.items() if victim in d]
    assert holders
    assert ix.remove_many(holders) == len(holders)
    for key in holders:
        del live[key]
    assert ix.remove(holders[0]) is False
    assert ix.remove_many([holders[0], 10**12]) == 0
    assert ix.get_scores([victim])[1].max() == 0.0
    assert ix.search([victim]) == []
    for key in rng.choice(sorted(live), 1200, replace=False).tolist():
        assert ix.remove(key)
        del live[key]
    assert_same(ix, live, queries + [[victim, "w1"]])
    # re-adding a removed key works and is scored
    ix.add(holders[0], corpus[holders[0]], group=0)
    live[holders[0]] = corpus[holders[0]]
    assert_same(ix, live, queries[:10])


def test_remove_everything_and_empty_index() -> None:
    ix = BM25Index()
    assert ix.search(["a"]) == [] and len(ix) == 0
    keys, scores = ix.get_scores(["a"])
    assert keys.size == 0 and scores.size == 0
    ix.add_many([1, 2, 3], [["a", "b"], ["b"], []], [0, 0, 0], [False] * 3)
    ix.remove_many([1, 2, 3])
    assert len(ix) == 0 and ix.search(["a", "b"]) == [] and ix.stats()["terms"] == 0
    ix.add(7, [], group=0)  # only empty docs: everything scores 0
    assert ix.search(["a"]) == [] and ix.get_scores(["a"])[1].tolist() == [0.0]


@pytest.mark.parametrize("prune", [False, True])
def test_groups_and_public(corpus: list[list[str]], prune: bool) -> None:
    rng = np.random.default_rng(11)
    n = len(corpus)
    group_ids = [-1001234567890, 17, 42, 2**40]
    groups = [group_ids[int(g)] for g in rng.integers(0, 4, n)]
    publics = (rng.random(n) < 0.05).tolist()
    ix = pruning(BM25Index(), prune)
    ix.add_many(list(range(n)), corpus, groups, publics)
    live = dict(enumerate(corpus))
    meta = {i: (groups[i], publics[i]) for i in range(n)}
    queries = make_queries(rng, corpus, 25)
    for sel in ({17}, {42, 2**40}, {-1001234567890}, set(), {999}):
        assert_same(ix, live, queries, meta, sel)
    # flip some public flags; statistics are global, only the filter changes
    for key in rng.choice(n, 200, replace=False).tolist():
        meta[key] = (meta[key][0], not meta[key][1])
        ix.set_public(key, meta[key][1])
    assert_same(ix, live, queries, meta, {17})
    with pytest.raises(KeyError):
        ix.set_public(10**9, True)
    res = ix.search(["w3"], 50, groups={17})
    assert res and all(meta[key][0] == 17 or meta[key][1] for key, _ in res)


def test_save_load_roundtrip(corpus: list[list[str]], tmp_path) -> None:
    ix = BM25Index()
    n = 1500
    ix.add_many(list(range(n)), corpus[:n], [i % 3 for i in range(n)], [i % 10 == 0 for i in range(n)])
    for i in range(n, n + 50):
        ix.add(i, corpus[i], group=1, public=i % 2 == 0)
    ix.remove_many(range(0, 300, 3))
    ix.add(1, ["brand", "new", "tokens", "ünïcødé", "with\nnewline", ""], group=2)
    path = tmp_path / "snap" / "index.npz"
    ix.save(path)
    assert path.exists() and not [p for p in path.parent.iterdir() if p.name != "index.npz"]
    ix2 = BM25Index.load(path)
    assert len(ix2) == len(ix) and ix2.stats()["docs"] == ix.stats()["docs"]
    queries = make_queries(np.random.default_rng(1), corpus, 30) + [["ünïcødé", "with\nnewline", "brand"]]
    for q in queries:
        for groups in (None, {1}, {0, 2}):
            assert ix2.search(q, 10, groups) == ix.search(q, 10, groups)
        a, b = ix.get_scores(q), ix2.get_scores(q)
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    # the loaded index keeps working incrementally
    ix2.add(10**6, ["brand"], group=5)
    ix2.remove(1)
    assert ix2.search(["brand"]) == [(10**6, ix2.search(["brand"])[0][1])]


def test_concurrent_search_while_adding(corpus: list[list[str]]) -> None:
    ix = BM25Index()
    ix.add_many(list(range(1000)), corpus[:1000], [0] * 1000, [False] * 1000)
    queries = make_queries(np.random.default_rng(2), corpus, 20)
    errors: list[BaseException] = []
    stop = threading.Event()

    def searcher() -> None:
        try:
            while not stop.is_set():
                for q in queries:
                    res = ix.search(q, 5)
                    assert all(s > 0 for _, s in res)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=searcher) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for i in range(1000, 1600):
            ix.add(i, corpus[i], group=0)
            if i % 7 == 0:
                ix.remove(i - 500)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors
    live = {i: corpus[i] for i in range(1600) if not (1000 <= i + 500 < 1600 and (i + 500) % 7 == 0)}
    assert_same(ix, live, queries)


VOCAB = [chr(ord("a") + i) for i in range(8)]
ops_strategy = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 30), st.lists(st.sampled_from(VOCAB), max_size=8)),
        st.tuples(st.just("bulk"), st.integers(0, 30),
                  st.lists(st.lists(st.sampled_from(VOCAB), max_size=8), min_size=1, max_size=6)),
        st.tuples(st.just("remove"), st.integers(0, 30), st.just(None)),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=ops_strategy, prune=st.booleans(),
       queries=st.lists(st.lists(st.sampled_from([*VOCAB, "zz"]), max_size=5), min_size=1, max_size=5))
def test_property_random_ops(ops: list, prune: bool, queries: list[list[str]]) -> None:
    ix = pruning(BM25Index(), prune)
    live: dict[int, list[str]] = {}
    for op, key, payload in ops:
        if op == "add":
            ix.add(key, payload, group=key % 2)
            live[key] = payload
        elif op == "bulk":
            keys = [key + i for i in range(len(payload))]
            ix.add_many(keys, payload, [k % 2 for k in keys], [False] * len(keys))
            live.update(zip(keys, payload, strict=True))
        else:
            assert ix.remove(key) == (key in live)
            live.pop(key, None)
    if not live:
        assert len(ix) == 0 and all(ix.search(q) == [] for q in queries)
        return
    meta = {key: (key % 2, False) for key in live}
    assert_same(ix, live, queries, meta, None, k=3)
    assert_same(ix, live, queries, meta, {1}, k=3)


def test_chunked_build_and_blocked_merge(corpus: list[list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """Large-build code paths (multi-chunk two-pass build, multi-block merge) on a small corpus."""
    import retrieval.index as index_mod

    monkeypatch.setattr(index_mod, "_BUILD_CHUNK", 97)
    monkeypatch.setattr(index_mod, "_MERGE_BLOCK", 301)
    ix = BM25Index()
    ix.add_many(list(range(2000)), corpus[:2000], [0] * 2000, [False] * 2000)
    live = dict(enumerate(corpus[:2000]))
    ix.remove_many(range(0, 2000, 3))
    for key in range(0, 2000, 3):
        del live[key]
    for i in range(2000, 3000, 250):  # bulk adds that trigger merges with the (partly dead) big segment
        keys = list(range(i, i + 250))
        ix.add_many(keys, corpus[i:i + 250], [0] * 250, [False] * 250)
        live.update(zip(keys, corpus[i:i + 250], strict=True))
    assert_same(ix, live, make_queries(np.random.default_rng(9), corpus, 30))


def test_idf_matches_rank_bm25() -> None:
    corpus = [["a", "b"], ["a", "c"], ["a", "d", "d"], ["e"], []]
    index = BM25Index()
    index.add_many(list(range(len(corpus))), corpus, [0] * len(corpus), [False] * len(corpus))
    ref = BM25Okapi(corpus)
    for term in "abcde":
        assert abs(index.idf(term) - ref.idf[term]) < 1e-12
    assert index.idf("unknown") == 0.0
    index.remove(3)
    assert index.idf("e") == 0.0


def test_known_idfs_are_the_idfs_of_the_known_terms_in_order() -> None:
    """`known_idfs` (one call for a misspelt word's ~500 neighbours): `idf` of each term some live passage has,
    in the order given, whatever kind of iterable gives them; removed and unknown terms left out."""
    corpus = [["a", "b"], ["a", "c"], ["a", "d", "d"], ["e"], []]
    index = BM25Index()
    index.add_many(list(range(len(corpus))), corpus, [0] * len(corpus), [False] * len(corpus))
    index.remove(3)
    terms = ["d", "zz", "a", "e", "c", "a", "b"]
    want = {t: index.idf(t) for t in terms if t in "abcd"}
    for asked in (terms, tuple(terms), iter(terms), (t for t in terms)):
        got = index.known_idfs(asked)
        assert got == want and list(got) == list(want)
    assert index.known_idfs(set(terms)) == want


@pytest.mark.parametrize("prune", [False, True])
def test_collection_check_on_the_best_positions_first_changes_nothing(
    corpus: list[list[str]], prune: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`_topk_allowed` / `_kth_allowed` check the collections of the positions scoring at least the k-th best of
    all first, and of every position only when fewer than k of those are allowed: the same results, ties and
    order included, as checking every touched position."""
    rng = np.random.default_rng(5)
    n = len(corpus)
    groups = [int(g) for g in rng.integers(0, 4, n)]
    publics = (rng.random(n) < 0.03).tolist()
    ix = pruning(BM25Index(), prune)
    ix.add_many(list(range(n)), corpus, groups, publics)
    queries = make_queries(rng, corpus, 40)
    selections = (None, {0}, {1, 2}, {0, 1, 2, 3}, set(), {99})
    got = [ix.search(q, k, groups=sel) for q in queries for sel in selections for k in (1, 5, 20)]

    def topk_all(self, pos, s, k, gmask):  # noqa: ANN001, ANN202 - the check of every position, as before
        ok = self._allowed(pos, gmask)
        return self._topk(pos[ok], s[ok], k)

    def kth_all(self, pos, s, k, gmask):  # noqa: ANN001, ANN202
        sa = s[self._allowed(pos, gmask)]
        return float(np.partition(sa, sa.size - k)[sa.size - k]) if sa.size >= k else None

    monkeypatch.setattr(BM25Index, "_topk_allowed", topk_all)
    monkeypatch.setattr(BM25Index, "_kth_allowed", kth_all)
    assert got == [ix.search(q, k, groups=sel) for q in queries for sel in selections for k in (1, 5, 20)]
    assert any(got)
