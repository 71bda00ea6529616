"""A fake Telegram Bot API server for tests, on 127.0.0.1 in a background thread.

It speaks enough of the Bot API for python-telegram-bot: getMe, getUpdates (long polling over a
queue of scripted updates), sendMessage, editMessageText, answerCallbackQuery, sendDocument
(multipart), sendChatAction, setMyCommands, answerInlineQuery, deleteWebhook/setWebhook, getFile
and file downloads (`/file/bot<token>/<path>`). It also serves static pages under `/pages/<name>`
(for URL ingestion). Every API call is recorded with its decoded parameters so tests can assert on
what the bot sent.
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import itertools
import json
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

BOT_ID = 999_000_111
BOT_USERNAME = "articles_test_bot"
JSON_KEYS = {
    "reply_markup",
    "results",
    "commands",
    "scope",
    "entities",
    "caption_entities",
    "link_preview_options",
    "reply_parameters",
    "button",
    "allowed_updates",
}
INT_KEYS = {"chat_id", "message_id", "offset", "limit", "timeout", "cache_time", "user_id"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # field -> (filename, content)
    result: Any = None  # what the fake server answered

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback_data) of every inline keyboard button."""
        markup = self.params.get("reply_markup") or {}
        return [
            (b.get("text", ""), b.get("callback_data", ""))
            for row in markup.get("inline_keyboard", [])
            for b in row
        ]


def _decode_value(key: str, value: str) -> Any:
    if key in JSON_KEYS:
        try:
            return json.loads(value)
        except ValueError:
            return value
    if key in INT_KEYS:
        try:
            return int(value)
        except ValueError:
            return value
    return value


class _Server(ThreadingHTTPServer):
    # The default listen backlog (5) resets connections when the bot opens dozens at once;
    # Telegram's servers do not, so neither does the fake.
    request_queue_size = 1024

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client went away (a long poll cut short when the bot stops): not a server fault
        super().handle_error(request, client_address)


class FakeTelegram:
    """Start with `start()`, stop with `stop()`; `base_url` is what TELEGRAM_BASE_URL should be."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, content)
        self.pages: dict[str, tuple[str, bytes]] = {}  # name -> (content type, body)
        self.fail_methods: dict[str, tuple[int, str]] = {}  # method -> (error_code, description)
        self.drop_methods: dict[str, int] = {}  # method -> how many of its next calls lose the connection
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(10_000)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._closing = False

    # --- lifecycle
    def start(self) -> FakeTelegram:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; with Nagle's algorithm the body waits for the client's
            # delayed ACK of the headers (40 ms per response on Linux). Telegram answers without that stall.
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                fake._handle(self, b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fake._handle(self, body)

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root}/bot"

    # --- scripting
    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates (given an update_id if it has none)."""
        update.setdefault("update_id", next(self._ids))
        with self._cond:
            self.updates.append(update)
            self._cond.notify_all()
        return update

    def add_file(self, file_id: str, content: bytes, path: str | None = None) -> None:
        self.files[file_id] = (path or f"documents/{file_id}", content)

    def add_page(self, name: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> str:
        self.pages[name] = (content_type, body)
        return f"{self.root}/pages/{name}"

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in list(self.calls) if c.method == method]

    def sent_texts(self, chat_id: int | None = None) -> list[str]:
        return [
            c.text
            for c in self.calls_to("sendMessage")
            if chat_id is None or c.params.get("chat_id") == chat_id
        ]

    async def wait_for(
        self, method: str, predicate=None, *, count: int = 1, within: float = 10.0
    ) -> list[Call]:
        """Wait until at least `count` calls to `method` match `predicate` (polling); returns them."""
        deadline = time.monotonic() + within
        while True:
            found = [c for c in self.calls_to(method) if predicate is None or predicate(c)]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                seen = [(c.method, c.params.get("text") or c.params) for c in self.calls[-15:]]
                raise AssertionError(f"timed out waiting for {count}x {method}; last calls: {seen}")
            await asyncio.sleep(0.02)

    async def quiet(self, seconds: float = 0.4) -> None:
        """Let in-flight updates finish (used before asserting that nothing more was sent)."""
        for _ in range(250):  # until getUpdates has taken everything (at most 5 s)
            if not self.updates:
                break
            await asyncio.sleep(0.02)
        await asyncio.sleep(seconds)

    # --- HTTP
    def _handle(self, req: BaseHTTPRequestHandler, body: bytes) -> None:
        path = unquote(urlsplit(req.path).path)
        bot_prefix = f"/bot{self.token}/"
        file_prefix = f"/file/bot{self.token}/"
        if path.startswith(file_prefix):
            wanted = path[len(file_prefix) :]
            for file_path, content in self.files.values():
                if file_path == wanted:
                    return self._send(req, 200, content, "application/octet-stream")
            return self._send(req, 404, b"not found", "text/plain")
        if path.startswith("/pages/"):
            page = self.pages.get(path[len("/pages/") :])
            if page is None:
                return self._send(req, 404, b"not found", "text/plain")
            return self._send(req, 200, page[1], page[0])
        if not path.startswith(bot_prefix):
            return self._json(req, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
        method = path[len(bot_prefix) :]
        with self._cond:
            drop = self.drop_methods.get(method, 0) > 0
            if drop:
                self.drop_methods[method] -= 1
        if drop:  # the connection breaks before the request is processed: nothing recorded
            req.close_connection = True
            req.connection.shutdown(socket.SHUT_RDWR)
            return None
        params, files = self._parse(req, body)
        call = Call(method, params, files)
        if method != "getUpdates":
            self.calls.append(call)
        if method in self.fail_methods:
            code, description = self.fail_methods[method]
            return self._json(req, code, {"ok": False, "error_code": code, "description": description})
        result = call.result = self._result(call)
        return self._json(req, 200, {"ok": True, "result": result})

    def _parse(
        self, req: BaseHTTPRequestHandler, body: bytes
    ) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        ctype = req.headers.get("Content-Type", "")
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if ctype.startswith("application/json"):
            params = json.loads(body or b"{}")
        elif ctype.startswith("multipart/form-data"):
            msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body
            )
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                filename = part.get_filename()
                payload = part.get_payload(decode=True) or b""
                if filename is not None:
                    files[name] = (filename, payload)
                else:
                    params[name] = _decode_value(name, payload.decode("utf-8"))
        elif body:
            for key, values in parse_qs(body.decode("utf-8"), keep_blank_values=True).items():
                params[key] = _decode_value(key, values[-1])
        return params, files

    def _message(self, chat_id: Any, **extra: Any) -> dict[str, Any]:
        chat_id = int(chat_id)
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup", "title": "chat"},
            "from": self.me(),
            **extra,
        }

    def me(self) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Articles",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    def _result(self, call: Call) -> Any:
        p = call.params
        m = call.method
        if m == "getMe":
            return self.me()
        if m == "getUpdates":
            timeout = float(p.get("timeout") or 0)
            deadline = time.monotonic() + min(timeout, 2.0)
            with self._cond:
                while not self.updates and not self._closing:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    self._cond.wait(left)
                # As Telegram: at most `limit` updates a call (1-100, default 100); the rest wait for the next.
                n = min(max(int(p.get("limit") or 100), 1), 100)
                batch, self.updates = self.updates[:n], self.updates[n:]
            return batch
        if m == "sendMessage":
            return self._message(p["chat_id"], text=p.get("text", ""))
        if m == "editMessageText":
            if "chat_id" not in p:
                return True
            return self._message(p["chat_id"], text=p.get("text", ""), message_id=p.get("message_id"))
        if m == "sendDocument":
            name = next(iter(call.files.values()))[0] if call.files else "file"
            return self._message(
                p["chat_id"], document={"file_id": "doc-sent", "file_unique_id": "u-sent", "file_name": name}
            )
        if m == "getFile":
            file_id = p.get("file_id")
            path, content = self.files.get(file_id, (f"missing/{file_id}", b""))
            return {
                "file_id": file_id,
                "file_unique_id": f"u-{file_id}",
                "file_size": len(content),
                "file_path": path,
            }
        if m == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        return True  # sendChatAction, answerCallbackQuery, setMyCommands, answerInlineQuery, (set|delete)Webhook ...

    @staticmethod
    def _send(req: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str) -> None:
        req.send_response(status)
        req.send_header("Content-Type", ctype)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    def _json(self, req: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
        self._send(req, status, json.dumps(payload).encode(), "application/json")


# --- update builders -------------------------------------------------------------------------------

_msg_ids = itertools.count(1)


def user(uid: int, first_name: str = "Ann", language_code: str = "en", **extra: Any) -> dict[str, Any]:
    return {"id": uid, "is_bot": False, "first_name": first_name, "language_code": language_code, **extra}


def chat(chat_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "Ann"}
    return {"id": chat_id, "type": "supergroup", "title": "Newsroom"}


def message(
    chat_id: int,
    from_user: dict[str, Any],
    text: str | None = None,
    *,
    message_id: int | None = None,
    entities: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A Message dict; a leading /command gets its bot_command entity automatically."""
    msg: dict[str, Any] = {
        "message_id": message_id if message_id is not None else next(_msg_ids),
        "date": int(time.time()),
        "chat": chat(chat_id),
        "from": from_user,
    }
    if text is not None:
        msg["text"] = text
        ents = list(entities or [])
        if text.startswith("/"):
            ents.insert(0, {"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
        if ents:
            msg["entities"] = ents
    msg.update(extra)
    return msg


def message_update(msg: dict[str, Any], *, edited: bool = False) -> dict[str, Any]:
    return {"edited_message" if edited else "message": msg}


def callback_update(from_user: dict[str, Any], data: str, on_message: dict[str, Any]) -> dict[str, Any]:
    return {
        "callback_query": {
            "id": f"cq{next(_msg_ids)}",
            "from": from_user,
            "chat_instance": "ci",
            "data": data,
            "message": on_message,
        }
    }


def bot_message(chat_id: int, message_id: int, text: str = "answer") -> dict[str, Any]:
    """A message as the bot sent it (for callbacks and replies)."""
    return {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat(chat_id),
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Articles", "username": BOT_USERNAME},
        "text": text,
    }
