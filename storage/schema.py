"""Schema migrations.

`MIGRATIONS[i]` brings a database from `PRAGMA user_version` i to i + 1. Migrations are forward only and
are never edited once released: add a new entry instead. Each one is applied in its own transaction
together with the `user_version` bump, so a crash leaves the database at a whole version.
"""

from __future__ import annotations

from collections.abc import Sequence

Migration = Sequence[str]  # SQL statements, executed in order, no trailing semicolons needed

_NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"

V1: Migration = (
    f"""
    CREATE TABLE collections (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        name        TEXT    NOT NULL UNIQUE CHECK (length(name) > 0),
        chat_id     INTEGER UNIQUE,
        created_at  TEXT    NOT NULL DEFAULT {_NOW}
    )
    """,
    "INSERT INTO collections (name, chat_id) VALUES ('global', NULL)",
    """
    CREATE TABLE articles (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        collection_id INTEGER NOT NULL REFERENCES collections(id),
        title         TEXT    NOT NULL,
        body          TEXT    NOT NULL,
        source        TEXT,
        url           TEXT,
        published_at  TEXT,
        language      TEXT    NOT NULL DEFAULT 'und',
        content_hash  TEXT    NOT NULL CHECK (length(content_hash) > 0),
        added_by      INTEGER,
        chat_id       INTEGER,
        message_id    INTEGER,
        origin_url    TEXT,
        public        INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
        paragraphs    INTEGER NOT NULL DEFAULT 0 CHECK (paragraphs >= 0),
        added_at      TEXT    NOT NULL,
        updated_at    TEXT    NOT NULL,
        UNIQUE (collection_id, content_hash)
    )
    """,
    """
    CREATE UNIQUE INDEX articles_message ON articles (chat_id, message_id)
        WHERE chat_id IS NOT NULL AND message_id IS NOT NULL
    """,
    "CREATE INDEX articles_collection ON articles (collection_id, id)",
    "CREATE INDEX articles_public ON articles (id) WHERE public = 1",
    """
    CREATE TABLE passages (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        ord        INTEGER NOT NULL CHECK (ord >= 0),
        paragraph  INTEGER NOT NULL CHECK (paragraph >= 1),
        start      INTEGER NOT NULL CHECK (start >= 0),
        "end"      INTEGER NOT NULL CHECK ("end" >= start),
        text       TEXT    NOT NULL,
        UNIQUE (article_id, ord)
    )
    """,
    # UNIQUE (article_id, ord) above is also the index on article_id.
    f"""
    CREATE TABLE questions (
        id                INTEGER PRIMARY KEY AUTOINCREMENT,
        chat_id           INTEGER,
        user_id           INTEGER,
        question          TEXT    NOT NULL,
        language          TEXT,
        abstained         INTEGER NOT NULL CHECK (abstained IN (0, 1)),
        score             REAL    NOT NULL DEFAULT 0,
        answer_article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
        latency_ms        REAL,
        created_at        TEXT    NOT NULL DEFAULT {_NOW}
    )
    """,
    "CREATE INDEX questions_answer_article ON questions (answer_article_id)",
    f"""
    CREATE TABLE feedback (
        question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
        user_id     INTEGER NOT NULL,
        vote        INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        created_at  TEXT    NOT NULL DEFAULT {_NOW},
        PRIMARY KEY (question_id, user_id)
    ) WITHOUT ROWID
    """,
    f"""
    CREATE TABLE processed_updates (
        chat_id    INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        kind       TEXT    NOT NULL,
        article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
        created_at TEXT    NOT NULL DEFAULT {_NOW},
        PRIMARY KEY (chat_id, message_id, kind)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX processed_updates_article ON processed_updates (article_id)",
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE settings (
        chat_id INTEGER NOT NULL,
        key     TEXT    NOT NULL,
        value   TEXT,
        PRIMARY KEY (chat_id, key)
    ) WITHOUT ROWID
    """,
)

# V2: what an answer cited, so the Sources and More buttons show THAT passage later (not a re-run of the
# question against a collection that has changed since): the passage and the quoted span inside it.
V2: Migration = (
    "ALTER TABLE questions ADD COLUMN answer_passage_id INTEGER",
    "ALTER TABLE questions ADD COLUMN quote_start INTEGER",
    "ALTER TABLE questions ADD COLUMN quote_end INTEGER",
)

# V3: each passage's word and sentence spans, computed at ingest (`retrieval.layout`), so a question does not find
# them again in every passage it reads. NULL until computed (passages stored before V3: the engine fills them in).
V3: Migration = (
    "ALTER TABLE passages ADD COLUMN layout BLOB",
    "CREATE INDEX passages_without_layout ON passages (id) WHERE layout IS NULL",  # the ones left to compute
)

MIGRATIONS: tuple[Migration, ...] = (V1, V2, V3)
SCHEMA_VERSION = len(MIGRATIONS)
