"""SQLite storage for articlebot (aiosqlite). Never imports `retrieval` or `articlebot`."""

from .db import Database, PassageReader, utc_now
from .errors import (
    DuplicateArticle,
    DuplicateMessage,
    InvalidArticle,
    NotFound,
    SchemaError,
    StorageError,
)
from .models import ArticleRow, NewArticle, NewPassage, PassageHit, PassageRow, QuestionRow
from .schema import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "ArticleRow",
    "Database",
    "DuplicateArticle",
    "DuplicateMessage",
    "InvalidArticle",
    "NewArticle",
    "NewPassage",
    "NotFound",
    "PassageHit",
    "PassageReader",
    "PassageRow",
    "QuestionRow",
    "SchemaError",
    "StorageError",
    "utc_now",
]
