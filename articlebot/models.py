"""The engine's public value types, shared by the CLI and the Telegram layer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Scope:
    """Which collection a request acts on.

    A Telegram chat has its own collection (`chat_id`); the CLI names one (`collection`, default "global").
    Questions see the scope's collection plus everything published to the global collection;
    `global_only` (inline mode) sees the global collection alone.
    """

    chat_id: int | None = None
    collection: str | None = None
    global_only: bool = False

    @property
    def collection_name(self) -> str:
        if self.global_only:
            return "global"
        if self.chat_id is not None:
            return f"chat:{self.chat_id}"
        return self.collection or "global"


@dataclass
class ArticleIn:
    """An article as it arrives, before normalisation and chunking."""

    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: str | None = None  # ISO 8601 date or datetime, when known
    language: str | None = None  # detected when None
    added_by: int | None = None  # Telegram user id
    chat_id: int | None = None
    message_id: int | None = None
    origin_url: str | None = None  # t.me link of the original post, when forwarded from a public channel
    added_at: str | None = None  # when it was first added (UTC ISO 8601), kept by `export` -> `ingest --jsonl`; else now


AddStatus = Literal["added", "duplicate", "updated", "rejected", "gone"]  # gone: only_update, no such article


@dataclass
class AddResult:
    status: AddStatus
    article_id: int | None = None
    title: str | None = None
    paragraphs: int = 0
    reason: str | None = None  # for "rejected": a one-line human reason


@dataclass
class Citation:
    article_id: int
    title: str
    source: str | None
    url: str | None
    paragraph: int
    quote: str
    published_at: str | None = None


@dataclass
class Answer:
    question: str
    answer: str | None  # the short answer span, or None
    sentence: str  # the shown extract ("" when abstained)
    abstained: bool
    score: float
    citations: list[Citation] = field(default_factory=list)
    answer_start: int | None = None  # offsets of `answer` inside `sentence`
    answer_end: int | None = None
    language: str | None = None
    answer_id: int | None = None  # id of the logged question; buttons (Sources/More/feedback) refer to it
    cited: tuple[int, int, int] | None = None  # (passage id, start, end) of `sentence`; not in the JSON contract
    cut: tuple[bool, bool] = (False, False)  # `sentence` starts / ends inside a sentence (a long one was cut)

    def to_json(self) -> dict[str, object]:
        """The `ask --json` contract: question, answer, sentence, abstained, score, citations."""
        return {
            "question": self.question,
            "answer": self.answer,
            "sentence": self.sentence,
            "abstained": self.abstained,
            "score": round(float(self.score), 6),
            "citations": [
                {k: v for k, v in asdict(c).items() if k != "published_at"} | {"published_at": c.published_at}
                for c in self.citations
            ],
        }


@dataclass
class ArticleInfo:
    id: int
    title: str
    source: str | None
    url: str | None
    published_at: str | None
    language: str | None
    collection: str
    published: bool
    paragraphs: int
    added_at: str
    text: str | None = None  # filled by Engine.get


class QuestionError(ValueError):
    """A question we refuse to search for (empty, too long); the message is shown to the user.

    `kind` ("empty", "too_many_words", "too_many_chars") and `details` (the counts and the limit) let the bot
    say it in the user's language."""

    def __init__(self, message: str, kind: str = "invalid", **details: int) -> None:
        super().__init__(message)
        self.kind = kind
        self.details = details
