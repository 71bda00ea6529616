"""`articlebot eval`: load a QA set into a temporary database through the real ingestion path, ask every
question through the real engine, and report retrieval, answer and refusal quality.

Formats: SQuAD v1/v2 JSON (each title one article, its paragraphs joined by blank lines the body) and the
IndoNLU FacQA CSV (each distinct passage one article; the gold answer is the tokens labelled B/I).
"""

from __future__ import annotations

import ast
import csv
import json
import re
import string
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from articlebot.engine import Engine, percentile
from articlebot.models import Answer, ArticleIn, QuestionError, Scope
from articlebot.settings import Settings


@dataclass
class QAItem:
    question: str
    answers: list[str]
    article_key: str
    impossible: bool = False


@dataclass
class QASet:
    name: str
    articles: dict[str, ArticleIn]  # key -> article
    questions: list[QAItem] = field(default_factory=list)


_NO_SPACE_BEFORE = frozenset(".,;:!?%)]}")
_NO_SPACE_AFTER = frozenset("([{")
# Numbers the FacQA tokenizer cut at their separators ("22.091 . 039", "111 , 6 persen"): a thousands group of
# three digits after a point, one or two decimals after a comma; not after a hyphen ("kalah 3-15, 7-15").
_CUT_THOUSANDS = re.compile(r"(?<![\d.,-])(\d{1,3}(?:\.\d{3})*)\. (\d{3})(?![\d,])")
_CUT_DECIMAL = re.compile(r"(?<![\d.,-])(\d{1,3}(?:\.\d{3})*), (\d{1,2})(?![\d.,])")


def _joins_hyphen(left: str, right: str) -> bool:
    """A hyphen the tokenizer set apart inside one word: "rata - rata", "obat - obatan", "1980 - an", "ke - 60",
    "GA - 181"; a dash between words ("energi - cetak biru") stays spaced."""
    lo, ro = left.casefold(), right.casefold()
    return (
        lo == ro
        or (ro.startswith(lo) and len(lo) >= 3)
        or (ro == "an" and left[-1:].isdigit())
        or (lo == "ke" and right[:1].isdigit())
        or (left.isupper() and len(left) <= 3 and right.isdigit())
    )


def detokenize(tokens: Sequence[str]) -> str:
    """FacQA's tokens as the article's text: spaces between tokens, none before closing punctuation or after
    opening brackets, quotes hugging what they quote, hyphenated words and numbers cut at their separators
    joined again. Matters for answers: "111 , 6 persen" normalises to "111 6 persen", never to the gold
    "111,6 persen", and "22.091 . 039 anak" splits into two sentences."""
    out: list[str] = []
    open_quote = False
    glue_next = False
    n = len(tokens)
    for i, tok in enumerate(tokens):
        glue = glue_next or not out
        glue_next = False
        if tok == '"':
            if open_quote:
                glue = True
            else:
                glue_next = True
            open_quote = not open_quote
        elif tok[:1] in _NO_SPACE_BEFORE:
            glue = True
        elif tok == "-" and 0 < i < n - 1 and _joins_hyphen(tokens[i - 1], tokens[i + 1]):
            glue = glue_next = True
        if tok[-1:] in _NO_SPACE_AFTER:
            glue_next = True
        if not glue:
            out.append(" ")
        out.append(tok)
    text = "".join(out)
    text = _CUT_THOUSANDS.sub(r"\1.\2", text)
    text = _CUT_THOUSANDS.sub(r"\1.\2", text)  # a second group: "23.312 . 794" after "1 . 234"
    return _CUT_DECIMAL.sub(r"\1,\2", text)


def load_squad(path: Path) -> QASet:
    data = json.loads(path.read_text(encoding="utf-8"))
    qa = QASet(path.stem, {})
    for doc in data["data"]:
        title = doc["title"].replace("_", " ")
        key = title
        body = "\n\n".join(p["context"].strip() for p in doc["paragraphs"])
        qa.articles[key] = ArticleIn(text=body, title=title, source="Wikipedia")
        for para in doc["paragraphs"]:
            for q in para["qas"]:
                golds = [a["text"] for a in q.get("answers", []) if a.get("text")]
                impossible = bool(q.get("is_impossible")) or not golds
                qa.questions.append(QAItem(q["question"], golds, key, impossible))
    return qa


def load_facqa(path: Path) -> QASet:
    qa = QASet(path.stem, {})
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            q_tokens = ast.literal_eval(row["question"])
            p_tokens = ast.literal_eval(row["passage"])
            labels = ast.literal_eval(row["seq_label"])
            passage = detokenize(p_tokens)
            if passage not in qa.articles:
                qa.articles[passage] = ArticleIn(text=passage, source="Kompas")
            spans: list[list[str]] = []
            for tok, lab in zip(p_tokens, labels, strict=False):
                if lab == "B":
                    spans.append([tok])
                elif lab == "I" and spans:
                    spans[-1].append(tok)
            golds = [detokenize(s) for s in spans]
            qa.questions.append(QAItem(detokenize(q_tokens), golds, passage, not golds))
    return qa


class EvalFileError(ValueError):
    """An evaluation file that cannot be read as the format asked for; the message names the file."""


def load_qa(path: Path, fmt: str | None = None) -> QASet:
    """The questions and articles of a SQuAD JSON or FacQA CSV (by extension unless `fmt` says);
    EvalFileError when the file is missing, not that format, or holds no question."""
    fmt = fmt or ("facqa" if path.suffix.lower() == ".csv" else "squad")
    if fmt not in ("facqa", "squad"):
        raise EvalFileError(f"unknown format {fmt!r} (use squad or facqa)")
    what = "a SQuAD JSON file" if fmt == "squad" else "an IndoNLU FacQA CSV file"
    try:
        qa = load_facqa(path) if fmt == "facqa" else load_squad(path)
    except OSError as exc:
        raise EvalFileError(f"{path}: cannot read ({exc.strerror})") from exc
    except (KeyError, TypeError, ValueError, SyntaxError, AttributeError, csv.Error) as exc:
        raise EvalFileError(f"{path}: not {what} ({type(exc).__name__}: {str(exc)[:80]})") from exc
    if not qa.questions:
        raise EvalFileError(f"{path}: no questions in it as {what} (is --format right?)")
    return qa


# --- SQuAD normalisation and scores (as in the official evaluation script) -------------------------------
_PUNCT = set(string.punctuation) | set("“”‘’«»—–…")


def normalize_answer(s: str) -> str:
    s = s.lower()
    s = "".join(ch for ch in s if ch not in _PUNCT)
    s = re.sub(r"\b(a|an|the)\b", " ", s)
    return " ".join(s.split())


def exact_match(pred: str, golds: Sequence[str]) -> float:
    return float(any(normalize_answer(pred) == normalize_answer(g) for g in golds))


def f1_score(pred: str, golds: Sequence[str]) -> float:
    best = 0.0
    p_tokens = normalize_answer(pred).split()
    for g in golds:
        g_tokens = normalize_answer(g).split()
        common = Counter(p_tokens) & Counter(g_tokens)
        same = sum(common.values())
        if same == 0:
            continue
        precision, recall = same / len(p_tokens), same / len(g_tokens)
        best = max(best, 2 * precision * recall / (precision + recall))
    return best


def sentence_contains(sentence: str, golds: Sequence[str]) -> bool:
    norm = normalize_answer(sentence)
    return any(normalize_answer(g) and normalize_answer(g) in norm for g in golds)


async def _load(engine: Engine, qa: QASet) -> dict[str, int]:
    keys = list(qa.articles)
    results = []
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        results.extend(await engine.add_many([qa.articles[k] for k in chunk], Scope()))
    ids: dict[str, int] = {}
    for key, res in zip(keys, results, strict=True):
        if res.article_id is not None:
            ids[key] = res.article_id
    return ids


async def evaluate(
    path: Path,
    fmt: str | None = None,
    against: Path | None = None,
    against_fmt: str | None = None,
    limit: int | None = None,
    settings: Settings | None = None,
) -> dict[str, object]:
    """Run one evaluation and return its metrics (see module docstring)."""
    qa = load_qa(path, fmt)
    questions = qa.questions[:limit] if limit else qa.questions
    corpus = load_qa(against, against_fmt) if against else qa
    base = settings or Settings()
    with tempfile.TemporaryDirectory(prefix="articlebot-eval-") as tmp:
        engine = await Engine.open(replace(base, database_path=Path(tmp) / "eval.sqlite3"))
        try:
            t0 = time.perf_counter()
            ids = await _load(engine, corpus)
            load_seconds = time.perf_counter() - t0
            rows = []
            for item in questions:
                started = time.perf_counter()
                try:
                    answers, ranked = await engine.ask_detailed(item.question, Scope())
                except QuestionError:  # an empty or over-long question in the set: the engine asks nothing
                    answers, ranked = [Answer(item.question, None, "", True, 0.0, [])], []
                rows.append((item, answers[0], ranked, (time.perf_counter() - started) * 1000))
        finally:
            await engine.close()
    return _metrics(qa.name, rows, ids, against is not None, load_seconds, len(corpus.articles))


# Every numeric metric a report can have (the answer metrics need answerable questions, the refusal ones
# unanswerable ones); `eval --min/--max` checks its names against these before it runs.
METRICS = (
    "articles", "questions", "answerable", "unanswerable", "load_seconds", "article_at_1", "article_at_5",
    "cited_first", "sentence_accuracy", "exact_match", "f1", "false_refusal_rate", "refusal_recall",
    "refusal_precision", "mean_answer_chars", "p50_ms", "p95_ms",
)


def _metrics(name, rows, ids, against: bool, load_seconds: float, n_articles: int) -> dict[str, object]:
    answerable = [r for r in rows if not r[0].impossible and not against]
    impossible = [r for r in rows if r[0].impossible or against]
    n_ans = len(answerable) or 1
    refused = [r for r in rows if r[1].abstained]

    def cited_first(r) -> bool:
        item, ans, _, _ = r
        return bool(ans.citations) and ans.citations[0].article_id == ids.get(item.article_key)

    out: dict[str, object] = {
        "set": name,
        "articles": n_articles,
        "questions": len(rows),
        "answerable": len(answerable),
        "unanswerable": len(impossible),
        "load_seconds": round(load_seconds, 2),
    }
    if answerable:
        out.update(
            {
                "article_at_1": sum(1 for r in answerable if r[2][:1] == [ids.get(r[0].article_key)]) / n_ans,
                "article_at_5": sum(1 for r in answerable if ids.get(r[0].article_key) in r[2][:5]) / n_ans,
                "cited_first": sum(1 for r in answerable if cited_first(r)) / n_ans,
                "sentence_accuracy": sum(
                    1 for r in answerable if not r[1].abstained and sentence_contains(r[1].sentence, r[0].answers)
                )
                / n_ans,
                "exact_match": sum(exact_match(r[1].answer or "", r[0].answers) for r in answerable) / n_ans,
                "f1": sum(f1_score(r[1].answer or "", r[0].answers) for r in answerable) / n_ans,
                "false_refusal_rate": sum(1 for r in answerable if r[1].abstained) / n_ans,
            }
        )
    if impossible:
        hit = sum(1 for r in impossible if r[1].abstained)
        out["refusal_recall"] = hit / len(impossible)
        out["refusal_precision"] = hit / len(refused) if refused else 0.0
    shown = [len(r[1].sentence) for r in rows if not r[1].abstained]
    out["mean_answer_chars"] = sum(shown) / len(shown) if shown else 0.0
    times = [r[3] for r in rows]
    out["p50_ms"] = percentile(times, 50)
    out["p95_ms"] = percentile(times, 95)
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in out.items()}


def format_report(m: dict[str, object]) -> str:
    labels = [
        ("set", "set"),
        ("articles", "articles"),
        ("questions", "questions (answerable / unanswerable)"),
        ("article_at_1", "right article first @1"),
        ("article_at_5", "right article @5"),
        ("cited_first", "cited article is right"),
        ("sentence_accuracy", "answer-sentence accuracy"),
        ("exact_match", "short answer exact match"),
        ("f1", "short answer F1"),
        ("false_refusal_rate", "false refusals (answerable)"),
        ("refusal_precision", "refusal precision (unanswerable)"),
        ("refusal_recall", "refusal recall (unanswerable)"),
        ("mean_answer_chars", "mean shown answer (chars)"),
        ("p50_ms", "p50 ms / question"),
        ("p95_ms", "p95 ms / question"),
    ]
    lines = []
    for key, label in labels:
        if key not in m:
            continue
        value = m[key]
        if key == "questions":
            value = f"{m['questions']} ({m['answerable']} / {m['unanswerable']})"
        elif isinstance(value, float):
            value = f"{value:.3f}" if key not in ("mean_answer_chars", "p50_ms", "p95_ms") else f"{value:.1f}"
        lines.append(f"{label:<36} {value}")
    return "\n".join(lines)
