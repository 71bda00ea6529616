"""Answers on whole news articles, the way the bot meets them: `python benchmarks/news_qa.py [--failures]`.

The development sets cannot show two things users hit: FacQA stores each passage as its own "article", and no set
asks about another city, person or year than the one an article covers. `benchmarks/news_qa/` holds 15 short news
articles written for this project (9 Indonesian, 4 English, 1 German, 1 Spanish; two floods in different cities)
and 145 questions: 124 with the expected answer and article, 21 that no article answers (`ABSTAIN`), most of them on
the articles' topics. Everything goes through the `articlebot` command line (`ingest`, `ask --json -`) on a fresh
database; scoring as in `articlebot eval` (SQuAD normalisation): the cited article, the shown sentence containing the
expected answer, short-answer exact match and F1, refusals.

Two more sets in the same layout (`--data`): `news_qa2/`, written by a black-box review (12 articles, 149
answerable and 36 unanswerable questions; its findings were fixed, so it is a development set now) and
`news_qa3/` (14 articles, 147 + 34 questions), written by someone who had not seen the product, to be held out:
it was measured before and after the changes of that round and not used to choose them (a development set since).
`news_qa4/` (14 articles: 8 Indonesian, 5 English, 1 Spanish; 169 + 37 questions, many in chat style) likewise;
held out for the next round's first changes, then its failures were read (a development set since).
`news_qa5/` (14 articles: 8 Indonesian, 5 English, 1 German; 182 + 38 questions), written the same way and held out
for that whole round: measured at its start and end only. `news_qa6/` (14 articles: 8 Indonesian, 5 English, 1 Spanish,
with confusable pairs; 182 + 42 questions), likewise, for the next round, and `news_qa7/` (14 articles: 8 Indonesian,
5 English, 1 German; 196 + 41 questions) for the eleventh, `news_qa8/` (14 articles: 8 Indonesian, 4 English,
1 German, 1 Spanish; 199 + 40 questions) for the twelfth, `news_qa9/` (14 articles: 8 Indonesian, 4 English,
1 German, 1 Spanish; two market fires, two verdicts, two companies' quarterly results; 221 + 40 questions) for the
thirteenth, `news_qa10/` (14 articles: 8 Indonesian, 4 English, 1 German, 1 Spanish; two ferry disasters, two
airline route launches; 244 + 43 questions) for the fourteenth, `news_qa11/` (14 articles: 8 Indonesian, 4 English,
1 German, 1 Spanish; two floods, two corruption verdicts; 266 + 48 questions) for the fifteenth and `news_qa12/`
(14 articles: 8 Indonesian, 4 English, 1 German, 1 Spanish; two landslides, two village-head election disputes; 324
+ 52 questions) for the sixteenth: measured at its start and after that round's first changes, then its failures
were read. `news_qa13/` (two drinking-water pipelines, two shipyards' orders; 382 + 51), `news_qa14/` (two
cities' parking policies, two factory closures; 439 + 53) and `news_qa15/` (two traditional markets' renovations, two
wind-blade factories; 481 + 58), likewise, for the seventeenth, eighteenth and nineteenth, `news_qa16/` (two
village reservoirs, two desalination plants; 497 + 55) for the twentieth, `news_qa17/` (two wild-elephant
conflicts, two shark attacks; 529 + 58) for the twenty-first, `news_qa18/` (two storms wrecking fishing boats, two
cities ending rental e-scooters; 636 + 60) for the twenty-second and `news_qa19/` (two land-certificate handovers,
two islands' rat eradications; 604 + 61) for the twenty-third, `news_qa20/` (two micro-hydro plants, two four-day-week
trials; 587 + 62), `news_qa21/` (two mangrove replantings, two housing-estate votes; 617 + 61), `news_qa22/` (two
foot-and-mouth vaccinations, two boil-water notices; 643 + 64) and `news_qa23/` (two cities' airport bus corridors,
two libraries reopening; 636 + 60) for the twenty-fourth to twenty-seventh.

`--as-posts` stores each article the way a forwarded channel post is stored: the whole text as one JSONL line, its
headline line kept in the text (a file's first line is its title and leaves the body). The bot's main input.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from articlebot.evaluation import exact_match, f1_score, sentence_contains  # noqa: E402

DATA = HERE / "news_qa"
ABSTAIN = "ABSTAIN"


def _articlebot() -> str:
    """The console script of the interpreter running this file (the project's venv)."""
    exe = Path(sys.executable).with_name("articlebot")
    return str(exe) if exe.exists() else "articlebot"


def ask_all(questions: list[str], data: Path = DATA, as_posts: bool = False) -> list[dict]:
    """Ingest the articles into a fresh database and answer every question through the CLI contract. `as_posts`:
    each file's whole text as one JSONL line, headline included, the way a forwarded channel post is stored
    (a file's first line is its title and leaves the body)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "news.sqlite3")
        if as_posts:
            lines = Path(tmp) / "posts.jsonl"
            lines.write_text("".join(
                json.dumps({"text": p.read_text(encoding="utf-8")}, ensure_ascii=False) + "\n"
                for p in sorted((data / "articles").glob("*.txt"))
            ), encoding="utf-8")
            subprocess.run([_articlebot(), "--db", db, "ingest", "--quiet", "--jsonl", str(lines)], check=True)
        else:
            subprocess.run([_articlebot(), "--db", db, "ingest", "--quiet", str(data / "articles")], check=True)
        out = subprocess.run(
            [_articlebot(), "--db", db, "ask", "--json", "-"],
            input="\n".join(questions) + "\n", capture_output=True, text=True, check=True,
        ).stdout
    return [json.loads(line) for line in out.splitlines()]


def titles(data: Path = DATA) -> dict[str, str]:
    """Article file stem -> title (the first non-empty line, as `ingest` takes it)."""
    out = {}
    for path in sorted((data / "articles").glob("*.txt")):
        out[path.stem] = next(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--failures", action="store_true", help="list every question answered wrongly")
    ap.add_argument("--min-sentence", type=float, help="exit 1 if the overall sentence accuracy is below this")
    ap.add_argument("--min-refused", type=int, help="exit 1 if fewer unanswerable questions are refused")
    ap.add_argument(
        "--data", type=Path, default=DATA,
        help="a folder in the same layout (articles/*.txt, questions.tsv); default: benchmarks/news_qa",
    )
    ap.add_argument(
        "--as-posts", action="store_true",
        help="store each article as a forwarded post is stored: the headline line stays in the text",
    )
    args = ap.parse_args()
    rows = list(csv.DictReader((args.data / "questions.tsv").open(encoding="utf-8"), delimiter="\t"))
    answers = ask_all([r["question"] for r in rows], args.data, args.as_posts)
    assert len(answers) == len(rows), (len(answers), len(rows))
    title_of = titles(args.data)
    stats: dict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
    failures = []
    for r, a in zip(rows, answers, strict=True):
        for key in (r["lang"], "all"):
            s = stats[key]
            if r["expected"] == ABSTAIN:
                s["unanswerable"] += 1
                s["refused"] += a["abstained"]
            else:
                s["answerable"] += 1
                s["false_refusals"] += a["abstained"]
                if not a["abstained"]:
                    cited, title = a["citations"][0]["title"], title_of[r["article"]]
                    s["article"] += cited == title or (cited.endswith("…") and title.startswith(cited[:-1]))
                    s["sentence"] += sentence_contains(a["sentence"], [r["expected"]])
                    s["em"] += exact_match(a["answer"] or "", [r["expected"]])
                    s["f1"] += f1_score(a["answer"] or "", [r["expected"]])
        wrong = (not a["abstained"]) if r["expected"] == ABSTAIN else (
            a["abstained"] or not sentence_contains(a["sentence"], [r["expected"]])
        )
        if wrong:
            failures.append((r, a))
    print("| questions | answerable | article | sentence | EM | F1 | false refusals | unanswerable | refused |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key in ("id", "en", "de", "es", "all"):
        s = stats[key]
        n = s["answerable"] or 1
        print(
            f"| {key} | {s['answerable']:.0f} | {s['article'] / n:.3f} | {s['sentence'] / n:.3f} | {s['em'] / n:.3f} | "
            f"{s['f1'] / n:.3f} | {s['false_refusals']:.0f} | {s['unanswerable']:.0f} | "
            f"{s['refused']:.0f} ({s['refused'] / (s['unanswerable'] or 1):.0%}) |"
        )
    if args.failures:
        for r, a in failures:
            got = "(refused)" if a["abstained"] else f"{a['answer']!r} in: {a['sentence'][:160]}"
            print(f"\n{r['question']}\n  expected: {r['expected']}\n  got: {got}")
    total = stats["all"]
    sentence = total["sentence"] / total["answerable"]
    if args.min_sentence is not None and sentence < args.min_sentence:
        sys.exit(f"FAILED: sentence accuracy {sentence:.3f} < {args.min_sentence}")
    if args.min_refused is not None and total["refused"] < args.min_refused:
        sys.exit(f"FAILED: {total['refused']:.0f} unanswerable questions refused < {args.min_refused}")


if __name__ == "__main__":
    main()
