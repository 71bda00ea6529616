"""Plain value types of the storage layer.

storage never imports `retrieval` or `articlebot`; the engine converts between these and its own types.
All times are ISO-8601 UTC text ("2025-05-23T10:15:00.123Z"); `published_at` is stored as given.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article ready to be stored: `body` is already normalised, `content_hash` already computed."""

    collection_id: int
    title: str
    body: str
    content_hash: str
    language: str = "und"
    source: str | None = None
    url: str | None = None
    published_at: str | None = None
    added_by: int | None = None  # Telegram user id
    chat_id: int | None = None  # Telegram message the article came from (unique together with message_id)
    message_id: int | None = None
    origin_url: str | None = None  # t.me link of the original post
    public: bool = False  # published to the global collection
    paragraphs: int = 0  # paragraphs of the body (0: counted from the passages' paragraph numbers)
    added_at: str | None = None  # UTC ISO 8601 ("...Z"); None: the time of the insert


@dataclass(frozen=True, slots=True)
class NewPassage:
    """One chunk of a body: `body[start:end]`, in paragraph `paragraph` (1-based); `ord` is its 0-based rank."""

    ord: int
    paragraph: int
    start: int
    end: int
    text: str
    layout: bytes | None = None  # its word and sentence spans (`retrieval.layout.encode_layout`), if computed


@dataclass(frozen=True, slots=True)
class ArticleRow:
    id: int
    collection_id: int
    collection: str  # collection name ("global", "chat:<id>", ...)
    title: str
    source: str | None
    url: str | None
    published_at: str | None
    language: str
    content_hash: str
    added_by: int | None
    chat_id: int | None
    message_id: int | None
    origin_url: str | None
    public: bool
    added_at: str
    updated_at: str
    paragraphs: int  # number of distinct paragraphs that have passages
    body: str | None = None  # filled by get_article and export_articles only


@dataclass(frozen=True, slots=True)
class PassageRow:
    """What an index build needs for one passage."""

    id: int
    article_id: int
    collection_id: int
    public: bool
    text: str
    language: str  # the article's language


@dataclass(frozen=True, slots=True)
class PassageHit:
    """A passage with the article fields needed to show and cite it."""

    id: int
    article_id: int
    ord: int
    paragraph: int
    start: int
    end: int
    text: str
    title: str
    source: str | None
    url: str | None
    origin_url: str | None
    published_at: str | None
    language: str
    collection_id: int
    public: bool
    layout: bytes | None = None  # the stored word and sentence spans (`retrieval.layout`), None if not computed


@dataclass(frozen=True, slots=True)
class QuestionRow:
    id: int
    chat_id: int | None
    user_id: int | None
    question: str
    language: str | None
    abstained: bool
    score: float
    answer_article_id: int | None
    latency_ms: float | None
    created_at: str
    cited: tuple[int, int, int] | None = None  # (passage id, start, end) of the shown extract; None: not logged
