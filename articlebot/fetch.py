"""SSRF-safe fetching of article pages.

`fetch_url` only ever connects to an address it has checked:

* only http/https URLs without credentials; the host is normalised the way browsers and libc do
  (inet_aton: "2130706433", "0177.0.0.1", "0x7f.1", "127.1" are all 127.0.0.1; full-width digits are NFKC-folded);
* names are resolved once (loop.getaddrinfo, or an injected resolver) and EVERY address must be public:
  no loopback, private, link-local, multicast, reserved, unspecified, carrier-grade NAT (100.64/10),
  IPv4-mapped/-compatible IPv6, 6to4/NAT64 embeddings of such addresses, Teredo, or cloud metadata;
* the request then goes to the checked IP itself (Host header and TLS SNI/certificate check keep the name),
  so a DNS answer that changes between check and connect (rebinding) cannot redirect it;
* redirects are followed by hand, each hop checked again, at most `max_redirects`;
* an overall deadline (`timeout`) bounds connect + every read; Content-Length over the cap is refused
  before reading; the body is decompressed here (gzip/deflate only), in bounded steps, and the
  *decoded* size is capped, so a compression bomb is cut off without being inflated;
* environment proxies are ignored (a proxy would resolve the name again, undoing the check).

`allow_private=True` (FETCH_ALLOW_PRIVATE) disables the public-address check, for tests and trusted
networks; cloud-metadata addresses and names stay refused even then.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import re
import socket
import unicodedata
import zlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from articlebot.documents import DocumentError, ExtractedDocument, extract_html, human_size, read_document
from articlebot.settings import Settings

__all__ = [
    "ALLOWED_CONTENT_TYPES",
    "USER_AGENT",
    "FetchError",
    "FetchedPage",
    "Resolver",
    "address_refusal",
    "fetch_article",
    "fetch_url",
    "find_single_url",
    "parse_ipv4_literal",
    "safe_url",
]

log = logging.getLogger(__name__)

USER_AGENT = "articlebot/0.1 (+https://github.com/)"
ALLOWED_CONTENT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/pdf")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DECODE_STEP = 64 * 1024  # at most this many decompressed bytes per zlib call

Resolver = Callable[[str, int], Awaitable[list[str]]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA_HOSTNAMES = frozenset(
    {"metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal"}
)
METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack, ...
        ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
        ipaddress.ip_address("fd00:ec2::254"),  # AWS IPv6 IMDS
    }
)
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


class FetchError(ValueError):
    """One-line human reason."""


@dataclass
class FetchedPage:
    url: str  # final URL, after redirects
    content_type: str  # media type, lower case, without parameters
    body: bytes  # decoded (decompressed) body, at most max_bytes
    charset: str | None = None  # the charset parameter of Content-Type, if any


# ------------------------------------------------------------------------------------- URL and address


def safe_url(url: str) -> str:
    """The URL for logs and messages: no credentials, no query or fragment."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}{parts.path}"
    except ValueError:
        return "<invalid URL>"


def _parse_ipv4_part(part: str) -> int | None:
    if not part:
        return None
    if part[:2].lower() == "0x":
        digits = part[2:]
        if digits == "":
            return 0
        return int(digits, 16) if re.fullmatch(r"[0-9a-fA-F]+", digits) else None
    if len(part) > 1 and part[0] == "0":
        return int(part, 8) if re.fullmatch(r"[0-7]+", part) else None
    return int(part) if re.fullmatch(r"[0-9]+", part) else None


def parse_ipv4_literal(host: str) -> ipaddress.IPv4Address | None:
    """An IPv4 literal in any form inet_aton (and browsers) accept, or None for a host name.

    Raises FetchError for names that end in a number but are no valid address ("1.2.3.4.5", "999.1").
    """
    name = host[:-1] if host.endswith(".") else host
    labels = name.split(".")
    numbers = [_parse_ipv4_part(label) for label in labels]
    if all(n is not None for n in numbers) and 1 <= len(labels) <= 4:
        values = [n for n in numbers if n is not None]
        *head, last = values
        if any(v > 255 for v in head) or last >= 256 ** (5 - len(values)):
            raise FetchError(f"invalid address {host!r}")
        value = last
        for i, v in enumerate(head):
            value |= v << (8 * (3 - i))
        return ipaddress.IPv4Address(value)
    if numbers and numbers[-1] is not None:
        raise FetchError(f"invalid host name {host!r}")
    return None


def address_refusal(ip: IPAddress, *, allow_private: bool = False) -> str | None:
    """Why we refuse to connect to `ip` (a short phrase), or None if it is allowed."""
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if allow_private:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return "a scoped (link-local) address"
        embedded: ipaddress.IPv4Address | None = ip.ipv4_mapped or ip.sixtofour
        if ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if int(ip) >> 32 == 0 and int(ip) > 1:  # IPv4-compatible ::a.b.c.d (deprecated)
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            reason = address_refusal(embedded)
            if reason:
                return reason
            if ip.ipv4_mapped is not None:
                return None
        if ip.teredo is not None:
            return "a Teredo tunnel address"
        if ip in _NAT64_LOCAL:
            return "a private address"
        if ip.is_site_local:
            return "a private address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "a carrier-grade NAT address"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved:
        return "a reserved address"
    if not ip.is_global:
        return "not a public address"
    return None


@dataclass
class _Target:
    url: httpx.URL  # as requested (with the host name)
    host: str  # ASCII host (punycode), lower case, no brackets
    port: int
    literal: IPAddress | None  # set when the URL host is an IP literal


def _parse_target(raw: str) -> _Target:
    raw = raw.strip()
    try:
        parts = urlsplit(raw)
        scheme = parts.scheme.lower()
        hostname = parts.hostname
        port_number = parts.port
    except ValueError as exc:
        raise FetchError("invalid URL") from exc
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "(none)"
        raise FetchError(f"only http and https links can be fetched, not {shown}")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise FetchError("links with a user name or password are not fetched")
    if not hostname:
        raise FetchError("the link has no host name")
    host = unicodedata.normalize("NFKC", hostname).lower()
    if "%" in host or any(ch.isspace() or ch in "\\/@?#" for ch in host):
        raise FetchError("invalid host name in the link")
    literal: IPAddress | None
    if ":" in host:
        try:
            literal = ipaddress.IPv6Address(host)
        except ValueError as exc:
            raise FetchError(f"invalid address {host!r}") from exc
    else:
        literal = parse_ipv4_literal(host)
        if literal is None and host.rstrip(".") in METADATA_HOSTNAMES:
            raise FetchError("refusing to fetch a cloud metadata address")
    if literal is not None:
        # rebuild the URL with the canonical address, so httpx sees exactly what we checked
        bracketed = f"[{literal}]" if literal.version == 6 else str(literal)
        netloc = bracketed + (f":{port_number}" if port_number is not None else "")
        raw = parts._replace(scheme=scheme, netloc=netloc).geturl()
    try:
        url = httpx.URL(raw)
    except (httpx.InvalidURL, ValueError) as exc:
        raise FetchError("invalid URL") from exc
    if url.userinfo:
        raise FetchError("links with a user name or password are not fetched")
    port = url.port or (443 if scheme == "https" else 80)
    if not 0 < port < 65536:
        raise FetchError("invalid port in the link")
    ascii_host = url.raw_host.decode("ascii").lower()
    return _Target(url=url, host=ascii_host, port=port, literal=literal)


async def _system_resolver(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


async def _checked_addresses(
    target: _Target, resolver: Resolver | None, allow_private: bool
) -> list[IPAddress]:
    if target.literal is not None:
        addresses: list[IPAddress] = [target.literal]
    else:
        try:
            answers = await (resolver or _system_resolver)(target.host.rstrip("."), target.port)
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"could not resolve {target.host}") from exc
        addresses = []
        for answer in answers:
            try:
                ip = ipaddress.ip_address(answer)
            except ValueError as exc:
                raise FetchError(f"{target.host} resolved to an invalid address") from exc
            if ip not in addresses:
                addresses.append(ip)
        if not addresses:
            raise FetchError(f"could not resolve {target.host}")
    for ip in addresses:
        reason = address_refusal(ip, allow_private=allow_private)
        if reason:
            what = target.host if target.literal is None else "the link"
            raise FetchError(f"refusing to fetch {what}: it points to {reason}")
    return addresses


# ------------------------------------------------------------------------------------------- decoding


class _BodyDecoder:
    """Incremental Content-Encoding decoder that never produces more than DECODE_STEP bytes per step."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding  # "identity", "gzip" or "deflate"
        self._obj: Any = None  # the current zlib stream; None before a stream (or gzip member) starts
        self._held = b""  # bytes that may begin the next gzip member
        self._done = False
        self._members = 0

    def _start(self, data: bytes) -> bool:
        """Begin a stream at `data`; False if more bytes are needed to decide."""
        if len(data) < 2:
            return False
        if self.encoding == "gzip":
            self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        else:  # "deflate" should be zlib-wrapped, but some servers send raw deflate
            wrapped = (data[0] & 0x0F) == 8 and ((data[0] << 8) | data[1]) % 31 == 0
            self._obj = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        return True

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.encoding == "identity":
            if data:
                yield data
            return
        data = self._held + data
        self._held = b""
        try:
            while data and not self._done:
                if self._obj is None:
                    if not self._start(data):
                        self._held = data
                        return
                    if self._members and not data.startswith(b"\x1f\x8b"):
                        self._done = True  # padding after the last gzip member: ignore it
                        return
                    self._members += 1
                before = len(data)
                out = self._obj.decompress(data, DECODE_STEP)
                data = self._obj.unconsumed_tail
                if out:
                    yield out
                if self._obj.eof:
                    data = self._obj.unused_data + data
                    self._obj = None
                    if self.encoding != "gzip":
                        self._done = True  # anything after a deflate stream is ignored
                elif not out and len(data) == before:
                    return  # no progress (cannot happen with max_length > 0, but never spin)
        except zlib.error as exc:
            raise FetchError("the page could not be decompressed") from exc


def _decoder_for(content_encoding: str) -> _BodyDecoder:
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return _BodyDecoder("identity")
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip"):
        return _BodyDecoder("gzip")
    if len(codings) == 1 and codings[0] == "deflate":
        return _BodyDecoder("deflate")
    raise FetchError(f"unsupported content encoding {content_encoding!r}")


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    decoder = _decoder_for(response.headers.get("content-encoding", ""))
    body = bytearray()
    too_big = FetchError(f"the page is larger than the {human_size(max_bytes)} limit")
    async for chunk in response.aiter_raw():
        for piece in decoder.feed(chunk):
            if len(body) + len(piece) > max_bytes:
                raise too_big
            body += piece
    return bytes(body)


# ------------------------------------------------------------------------------------------- fetching




def _media_type(header: str) -> tuple[str, str | None]:
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'").lower()
    return media.strip().lower(), charset


async def _send(client: httpx.AsyncClient, target: _Target, addresses: list[IPAddress]) -> httpx.Response:
    headers = {"Host": target.url.netloc.decode("ascii")}
    extensions: dict[str, Any] = {}
    if target.url.scheme == "https" and target.literal is None:
        extensions["sni_hostname"] = target.host.rstrip(".")
    last_error: Exception | None = None
    for ip in addresses:
        request = client.build_request(
            "GET", target.url.copy_with(host=str(ip)), headers=headers, extensions=extensions
        )
        try:
            return await client.send(request, stream=True)
        except httpx.ConnectError as exc:
            last_error = exc
            continue
    raise FetchError(f"could not connect to {target.host}") from last_error


class _Borrowed(httpx.AsyncBaseTransport):
    """An injected transport, used but not closed by our short-lived client (the caller owns it)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        pass


async def _fetch(
    url: str,
    *,
    op_timeout: float,
    max_bytes: int,
    max_redirects: int,
    allow_private: bool,
    transport: httpx.AsyncBaseTransport | None,
    resolver: Resolver | None,
) -> FetchedPage:
    client = httpx.AsyncClient(
        transport=_Borrowed(transport) if transport is not None else None,
        timeout=httpx.Timeout(op_timeout),
        follow_redirects=False,
        trust_env=False,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,application/pdf;q=0.8,*/*;q=0.1",
            "Accept-Encoding": "gzip, deflate",
        },
    )
    async with client:
        current = url
        for hop in range(max_redirects + 1):
            target = _parse_target(current)
            addresses = await _checked_addresses(target, resolver, allow_private)
            log.debug("fetching %s (hop %d)", safe_url(str(target.url)), hop)
            client.cookies.clear()
            response = await _send(client, target, addresses)
            try:
                location = response.headers.get("location")
                if response.status_code in REDIRECT_STATUSES and location:
                    if hop >= max_redirects:
                        raise FetchError(f"too many redirects (more than {max_redirects})")
                    try:
                        current = str(target.url.join(location.strip()))
                    except (httpx.InvalidURL, ValueError) as exc:
                        raise FetchError("the page redirects to an invalid link") from exc
                    continue
                if not 200 <= response.status_code < 300:
                    phrase = f" {response.reason_phrase}" if response.reason_phrase else ""
                    raise FetchError(f"the server answered HTTP {response.status_code}{phrase}")
                media, charset = _media_type(response.headers.get("content-type", ""))
                if media not in ALLOWED_CONTENT_TYPES:
                    raise FetchError(f"unsupported content type {media or '(none)'}")
                length = response.headers.get("content-length", "").strip()
                if length.isdigit() and int(length) > max_bytes:
                    raise FetchError(
                        f"the page is {human_size(int(length))}, over the {human_size(max_bytes)} limit"
                    )
                body = await _read_capped(response, max_bytes)
                return FetchedPage(url=str(target.url), content_type=media, body=body, charset=charset)
            finally:
                await response.aclose()
    raise FetchError(f"too many redirects (more than {max_redirects})")  # pragma: no cover


async def fetch_url(
    url: str,
    *,
    timeout: float,  # noqa: ASYNC109 - the contract's name; enforced below with asyncio.timeout
    max_bytes: int,
    max_redirects: int,
    allow_private: bool = False,
    transport: httpx.AsyncBaseTransport | None = None,
    resolver: Resolver | None = None,
) -> FetchedPage:
    """Fetch one page safely (see the module docstring). Raises FetchError with a one-line reason.

    `transport` and `resolver` are for tests: the resolver maps (host, port) to address strings; the
    transport receives requests addressed to the checked IP, with the original name in the Host header.
    """
    try:
        async with asyncio.timeout(timeout):
            return await _fetch(
                url,
                op_timeout=timeout,
                max_bytes=max_bytes,
                max_redirects=max_redirects,
                allow_private=allow_private,
                transport=transport,
                resolver=resolver,
            )
    except TimeoutError as exc:
        raise FetchError(f"the page did not load within {timeout:g} seconds") from exc
    except httpx.TimeoutException as exc:
        raise FetchError(f"the page did not load within {timeout:g} seconds") from exc
    except FetchError:
        raise
    except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
        log.info("fetch of %s failed: %s", safe_url(url), type(exc).__name__)
        raise FetchError(f"could not fetch the page ({type(exc).__name__})") from exc


def _document_name(page: FetchedPage) -> str:
    suffix = ".pdf" if page.content_type == "application/pdf" else ".txt"
    try:
        base = os.path.basename(urlsplit(page.url).path)
    except ValueError:
        base = ""
    if base.lower().endswith(suffix) or (suffix == ".txt" and base.lower().endswith((".md", ".markdown"))):
        return base
    return "page" + suffix


MIN_PAGE_WORDS = 15  # fewer words in a web page's main text: a menu, a cookie wall, a login form


def _extract_page(page: FetchedPage, max_bytes: int) -> ExtractedDocument:
    try:
        if page.content_type in ("text/html", "application/xhtml+xml"):
            html: str | bytes = page.body
            if page.charset:
                try:
                    html = page.body.decode(page.charset)
                except (LookupError, UnicodeDecodeError):
                    html = page.body
            doc = extract_html(html, url=page.url)
            words = len(doc.text.split())
            if words < MIN_PAGE_WORDS:  # found in review: a page of nothing but its menu was saved as «menu»
                plural = "" if words == 1 else "s"
                raise DocumentError(f"{page.url}: the page has no article text (only {words} word{plural})")
        else:
            body = page.body
            if page.content_type == "text/plain" and page.charset:
                try:
                    body = body.decode(page.charset).encode("utf-8")
                except (LookupError, UnicodeDecodeError):
                    pass
            doc = read_document(_document_name(page), body, max_bytes)
    except DocumentError as exc:
        _, _, reason = str(exc).partition(": ")
        raise DocumentError(f"{safe_url(page.url)}: {reason or exc}") from exc
    doc.url = page.url
    if not doc.source:
        host = urlsplit(page.url).hostname
        doc.source = host.removeprefix("www.") if host else None
    return doc


async def fetch_article(url: str, settings: Settings, **kw: Any) -> ExtractedDocument:
    """Fetch `url` with the settings' limits and extract the article (HTML, plain text or PDF).

    Raises FetchError (network, policy) or DocumentError (no readable text). `kw` overrides fetch_url
    arguments (transport, resolver, timeout, ...).
    """
    params: dict[str, Any] = {
        "timeout": settings.fetch_timeout,
        "max_bytes": settings.max_article_bytes,
        "max_redirects": settings.fetch_max_redirects,
        "allow_private": settings.fetch_allow_private,
    }
    params.update(kw)
    page = await fetch_url(url, **params)
    return await asyncio.to_thread(_extract_page, page, params["max_bytes"])


def find_single_url(text: str) -> str | None:
    """The URL if the message is only a http(s) URL (surrounding whitespace and <> allowed), else None."""
    candidate = text.strip()
    if candidate.startswith("<") and candidate.endswith(">"):
        candidate = candidate[1:-1].strip()
    if not candidate or any(ch.isspace() for ch in candidate):
        return None
    if not re.match(r"(?i)https?://", candidate):
        return None
    try:
        if not urlsplit(candidate).hostname:
            return None
    except ValueError:
        return None
    return candidate


# A headline's linked page must repeat at least this share of the headline's words to stand in for the post.
HEADLINE_COVERAGE = 0.5


def page_covers(headline: str, page_text: str) -> bool:
    """Whether a fetched page is the article a forwarded headline points to: it repeats most of the headline's
    words. A post that ends "Follow our channel: <link>" links a landing page that does not, and then the post
    itself is what to save (found in review: the post's fact was lost and the landing page stored)."""
    from retrieval.text import analyze, detect_language

    lang = detect_language(headline)
    wanted = set(analyze(headline, lang if lang != "und" else None))
    if not wanted:
        return True
    have = set(analyze(page_text, lang if lang != "und" else None))
    return len(wanted & have) >= HEADLINE_COVERAGE * len(wanted)
