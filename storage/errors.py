"""Errors raised by the storage layer (all subclass StorageError)."""

from __future__ import annotations


class StorageError(Exception):
    """Base class of every error raised on purpose by `storage`."""


class SchemaError(StorageError):
    """The database file cannot be used by this version of the code (e.g. its schema is newer)."""


class DuplicateArticle(StorageError):
    """An article with the same content hash already exists in the same collection."""

    def __init__(self, existing_id: int) -> None:
        super().__init__(f"duplicate of article {existing_id}")
        self.existing_id = existing_id


class DuplicateMessage(StorageError):
    """An article already exists for this Telegram (chat_id, message_id)."""

    def __init__(self, existing_id: int) -> None:
        super().__init__(f"message already stored as article {existing_id}")
        self.existing_id = existing_id


class InvalidArticle(StorageError):
    """The article or one of its passages violates a constraint (nothing was written)."""


class NotFound(StorageError):
    """The row an operation refers to does not exist."""
