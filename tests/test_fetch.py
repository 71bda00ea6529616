"""SSRF-safe fetching against real local HTTP servers (127.0.0.1 only; no internet)."""

from __future__ import annotations

import gzip
import ipaddress
import logging
import socket
import time
import tracemalloc
import zlib
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articlebot.documents import DocumentError
from articlebot.fetch import (
    DECODE_STEP,
    FetchError,
    _BodyDecoder,
    address_refusal,
    fetch_article,
    fetch_url,
    find_single_url,
    parse_ipv4_literal,
)
from articlebot.settings import Settings
from tests.httpserver import LocalServer
from tests.test_documents import ARTICLE_PDF_LINES, NEWS_HTML, make_pdf

PUBLIC_IP = (
    "93.184.216.34"  # a public (formerly example.com) address; the test transport maps it to 127.0.0.1
)
LIMIT = 1024 * 1024

# 50 MB of zeros, gzip-compressed (about 50 KB): built once, streamed so the test never holds 50 MB
_compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
GZIP_BOMB = b"".join(_compressor.compress(bytes(1024 * 1024)) for _ in range(50)) + _compressor.flush()


@pytest.fixture
def server():
    with LocalServer() as srv:
        yield srv


class ToLocal(httpx.AsyncBaseTransport):
    """Sends requests addressed to PUBLIC_IP to 127.0.0.1 instead, recording what fetch_url asked for."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.seen: list[tuple[str, str | None, object]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(
            (str(request.url), request.headers.get("host"), request.extensions.get("sni_hostname"))
        )
        if request.url.host == PUBLIC_IP:
            request.url = request.url.copy_with(host="127.0.0.1")
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class NoNetwork(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"no connection should have been attempted, got {request.url}")


def make_resolver(table: dict[str, list[str]], calls: list[str] | None = None):
    async def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        if host not in table:
            raise OSError(f"unknown host {host}")
        return table[host]

    return resolve


RESOLVER = make_resolver(
    {
        "public.test": [PUBLIC_IP],
        "internal.test": ["10.0.0.1"],
        "mixed.test": [PUBLIC_IP, "127.0.0.1"],
        "v6private.test": ["fd12:3456::1"],
        "mapped.test": ["::ffff:192.168.0.1"],
        "cgnat.test": ["100.64.1.2"],
    }
)


async def fetch(url: str, **kw):
    params = {"timeout": 5.0, "max_bytes": LIMIT, "max_redirects": 5}
    params.update(kw)
    return await fetch_url(url, **params)


def settings_for(tmp_path: Path, **kw) -> Settings:
    return Settings(database_path=tmp_path / "db.sqlite3", fetch_allow_private=True, fetch_timeout=5.0, **kw)


# ----------------------------------------------------------------------------------------- happy paths


async def test_fetch_article_from_local_server(server, tmp_path):
    server.route("/news/flood", body=NEWS_HTML.encode())
    doc = await fetch_article(server.url("/news/flood"), settings_for(tmp_path))
    assert doc.title == "Heavy rain floods city centre"
    assert "rescued 41 people" in doc.text
    assert "tracking-code" not in doc.text
    assert doc.url == server.url("/news/flood")
    assert doc.source == "The Daily Planet"
    _, headers = server.requests[-1]
    assert headers["user-agent"].startswith("articlebot/")
    assert headers["host"] == f"127.0.0.1:{server.port}"


async def test_fetch_url_returns_page(server):
    server.route("/p", body=b"<p>hi</p>", content_type="Text/HTML; Charset=ISO-8859-1")
    page = await fetch(server.url("/p"), allow_private=True)
    assert page.content_type == "text/html"
    assert page.charset == "iso-8859-1"
    assert page.body == b"<p>hi</p>"
    assert page.url == server.url("/p")


async def test_fetch_plain_text_and_pdf(server, tmp_path):
    server.route(
        "/story.txt",
        body="Título\nCuerpo del artículo.".encode("latin-1"),
        content_type="text/plain; charset=latin-1",
    )
    server.route("/report", body=make_pdf([ARTICLE_PDF_LINES]), content_type="application/pdf")
    doc = await fetch_article(server.url("/story.txt"), settings_for(tmp_path))
    assert (doc.title, doc.text) == ("Título", "Cuerpo del artículo.")
    assert doc.source == "127.0.0.1"
    doc = await fetch_article(server.url("/report"), settings_for(tmp_path))
    assert doc.title == "Flood closes schools in Metropolis"
    assert "3,200 homes" in doc.text


async def test_fetch_article_unreadable_page_is_document_error(server, tmp_path):
    server.route("/empty", body=b"<html><script>x()</script></html>")
    with pytest.raises(DocumentError, match="no readable text"):
        await fetch_article(server.url("/empty"), settings_for(tmp_path))
    server.route("/menu", body=b"<html><body><nav>menu</nav></body></html>")
    with pytest.raises(DocumentError, match=r"no article text \(only 1 word\)"):  # found in review: saved as «menu»
        await fetch_article(server.url("/menu"), settings_for(tmp_path))


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate"])
async def test_compressed_page_is_decoded(server, encoding):
    html = NEWS_HTML.encode() * 20
    if encoding == "gzip":
        body = gzip.compress(html)
    elif encoding == "deflate":
        body = zlib.compress(html)
    else:
        c = zlib.compressobj(wbits=-15)
        body = c.compress(html) + c.flush()
    header = "deflate" if encoding.endswith("deflate") else "gzip"
    server.route("/z", body=body, headers={"Content-Encoding": header})
    page = await fetch(server.url("/z"), allow_private=True)
    assert page.body == html
    assert server.requests[-1][1]["accept-encoding"] == "gzip, deflate"


# ------------------------------------------------------------------------------------------- redirects


async def test_redirects_followed(server):
    server.route("/a", status=301, headers={"Location": "/b"}, content_type=None)
    server.route("/b", status=302, headers={"Location": server.url("/c")}, content_type=None)
    server.route("/c", status=307, headers={"Location": "final?x=1"}, content_type=None)
    server.route("/final", body=b"<p>done</p>")
    page = await fetch(server.url("/a"), allow_private=True, max_redirects=3)
    assert page.url == server.url("/final?x=1")
    assert page.body == b"<p>done</p>"


async def test_redirects_capped(server):
    server.route("/a", status=301, headers={"Location": "/b"}, content_type=None)
    server.route("/b", status=302, headers={"Location": "/c"}, content_type=None)
    server.route("/c", body=b"<p>done</p>")
    with pytest.raises(FetchError, match="too many redirects"):
        await fetch(server.url("/a"), allow_private=True, max_redirects=1)
    server.route("/loop", status=302, headers={"Location": "/loop"}, content_type=None)
    with pytest.raises(FetchError, match="too many redirects"):
        await fetch(server.url("/loop"), allow_private=True, max_redirects=5)
    assert sum(path == "/loop" for path, _ in server.requests) == 6
    with pytest.raises(FetchError, match="too many redirects"):
        await fetch(server.url("/a"), allow_private=True, max_redirects=0)


async def test_public_name_connects_to_checked_ip_with_host_header(server):
    server.route("/article", body=NEWS_HTML.encode())
    transport = ToLocal()
    page = await fetch(f"http://public.test:{server.port}/article", transport=transport, resolver=RESOLVER)
    await fetch(f"http://public.test:{server.port}/article", transport=transport, resolver=RESOLVER)
    transport.seen.pop()  # an injected transport is not closed by fetch_url: it can be reused
    assert page.url == f"http://public.test:{server.port}/article"
    assert transport.seen == [
        (f"http://{PUBLIC_IP}:{server.port}/article", f"public.test:{server.port}", None)
    ]
    assert server.requests[-1][1]["host"] == f"public.test:{server.port}"


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1:{port}/article",
        "http://localhost:{port}/article",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/article",
        "http://2130706433:{port}/article",
        "http://internal.test:{port}/article",
        "http://metadata.google.internal/computeMetadata/v1/",
        "file:///etc/passwd",
    ],
)
async def test_redirect_to_private_address_refused(server, location):
    server.route("/article", body=NEWS_HTML.encode())
    server.route(
        "/go", status=302, headers={"Location": location.format(port=server.port)}, content_type=None
    )
    resolver = make_resolver(
        {"public.test": [PUBLIC_IP], "internal.test": ["10.0.0.1"], "localhost": ["127.0.0.1"]}
    )
    with pytest.raises(FetchError, match="refusing|only http"):
        await fetch(f"http://public.test:{server.port}/go", transport=ToLocal(), resolver=resolver)
    assert [path for path, _ in server.requests] == ["/go"]  # the redirect target was never requested


async def test_dns_is_resolved_once_per_hop_and_the_checked_ip_is_used(server):
    """DNS rebinding: a second lookup would say 127.0.0.1, but fetch_url never looks again."""
    server.route("/article", body=b"<p>ok</p>")
    answers = iter([[PUBLIC_IP], ["127.0.0.1"], ["127.0.0.1"]])
    calls: list[str] = []

    async def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    transport = ToLocal()
    await fetch(f"http://public.test:{server.port}/article", transport=transport, resolver=rebinding)
    assert calls == ["public.test"]
    assert transport.seen[0][0].startswith(f"http://{PUBLIC_IP}:")


async def test_https_sets_sni_and_host_to_the_name():
    seen: list[httpx.Request] = []

    class Body(httpx.AsyncByteStream):  # a streamed body, as real transports give
        async def __aiter__(self):
            yield b"<p>secure</p>"

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"Content-Type": "text/html"}, stream=Body())

    page = await fetch("https://public.test/a?q=1", transport=httpx.MockTransport(handler), resolver=RESOLVER)
    assert page.body == b"<p>secure</p>"
    (request,) = seen
    assert request.url == httpx.URL(f"https://{PUBLIC_IP}/a?q=1")
    assert request.headers["host"] == "public.test"
    assert request.extensions["sni_hostname"] == "public.test"


# ------------------------------------------------------------------------------------------ refusals


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://2130706433/",  # decimal
        "http://0177.0.0.1/",  # octal
        "http://0x7f.1/",  # hex, short form
        "http://0x7f000001/",
        "http://127.1/",
        "http://127.0.0.1./",
        "http://0/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[::]/",
        "http://[0:0:0:0:0:ffff:a00:1]/",
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",  # Teredo
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[ff02::1]/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",  # carrier-grade NAT
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://metadata.google.internal/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://255.255.255.255/",
        "http://１２７.０.０.１/",  # full-width digits
        "http://127%2e0%2e0%2e1/",
        "http://1.2.3.4.5/",
        "http://256.1.1.1/",
    ],
)
async def test_private_and_disguised_literals_refused(url):
    with pytest.raises(FetchError):
        await fetch(url, transport=NoNetwork(), resolver=RESOLVER)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/file.txt",
        "data:text/html,<p>hi</p>",
        "javascript:alert(1)",
        "gopher://example.com/",
        "ws://example.com/",
        "//example.com/x",
        "example.com/article",
        "http:///path-only",
    ],
)
async def test_other_schemes_refused(url):
    with pytest.raises(FetchError):
        await fetch(url, transport=NoNetwork(), resolver=RESOLVER)


async def test_credentials_in_url_refused_and_never_logged(caplog):
    caplog.set_level(logging.DEBUG)
    for url in ("http://user:hunter2@public.test/", "http://hunter2@public.test/"):
        with pytest.raises(FetchError, match="user name or password") as info:
            await fetch(url, transport=NoNetwork(), resolver=RESOLVER)
        assert "hunter2" not in str(info.value)
    assert "hunter2" not in caplog.text


@pytest.mark.parametrize(
    "host", ["internal.test", "mixed.test", "v6private.test", "mapped.test", "cgnat.test"]
)
async def test_names_resolving_to_private_addresses_refused(host):
    with pytest.raises(FetchError, match=f"refusing to fetch {host}"):
        await fetch(f"http://{host}/", transport=NoNetwork(), resolver=RESOLVER)


async def test_unresolvable_name():
    with pytest.raises(FetchError, match="could not resolve"):
        await fetch("http://nowhere.test/", transport=NoNetwork(), resolver=RESOLVER)


async def test_allow_private_still_refuses_metadata():
    for url in ("http://169.254.169.254/", "http://metadata.google.internal/", "http://[fd00:ec2::254]/"):
        with pytest.raises(FetchError, match="metadata"):
            await fetch(url, transport=NoNetwork(), allow_private=True)


async def test_content_type_refused(server):
    server.route("/img", body=b"\x89PNG\r\n\x1a\n", content_type="image/png")
    server.route("/none", body=b"hello", content_type=None)
    with pytest.raises(FetchError, match="unsupported content type image/png"):
        await fetch(server.url("/img"), allow_private=True)
    with pytest.raises(FetchError, match="unsupported content type"):
        await fetch(server.url("/none"), allow_private=True)


async def test_http_error_status(server):
    with pytest.raises(FetchError, match="HTTP 404"):
        await fetch(server.url("/missing"), allow_private=True)


async def test_content_length_over_cap_refused_before_reading(server):
    def handler(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(50 * 1024 * 1024))
        h.end_headers()
        h.wfile.write(b"<p>start</p>")
        h.wfile.flush()
        server.stop.wait(10)  # the rest never comes: a reader that waited for it would time out

    server.route("/huge", handler=handler)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"is 50\.0 MB, over the 1\.0 MB limit"):
        await fetch(server.url("/huge"), allow_private=True, timeout=5.0)
    assert time.monotonic() - started < 2


async def test_streamed_body_over_cap_cut_off(server):
    def handler(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.send_header("Connection", "close")
        h.end_headers()
        for _ in range(200):  # 12.8 MB offered, no Content-Length
            h.wfile.write(b"x" * 65536)

    server.route("/stream", handler=handler)
    with pytest.raises(FetchError, match="larger than"):
        await fetch(server.url("/stream"), allow_private=True, max_bytes=256 * 1024)


async def test_gzip_bomb_refused_without_inflating(server):
    server.route("/bomb", body=GZIP_BOMB, headers={"Content-Encoding": "gzip"})
    assert len(GZIP_BOMB) < 200 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="larger than"):
            await fetch(server.url("/bomb"), allow_private=True, max_bytes=LIMIT)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024  # never near the 50 MB the bomb inflates to


def test_decoder_inflates_in_bounded_steps():
    decoder = _BodyDecoder("gzip")
    pieces = decoder.feed(GZIP_BOMB)  # the whole 50 MB bomb in one chunk
    total = 0
    for _ in range(10):
        piece = next(pieces)
        assert 0 < len(piece) <= DECODE_STEP
        total += len(piece)
    assert total <= 10 * DECODE_STEP
    pieces.close()


def test_decoder_handles_multi_member_gzip_and_split_chunks():
    data = gzip.compress(b"hello ") + gzip.compress(b"world")
    decoder = _BodyDecoder("gzip")
    out = b"".join(piece for i in range(len(data)) for piece in decoder.feed(data[i : i + 1]))
    assert out == b"hello world"


async def test_unsupported_content_encoding_refused(server):
    server.route("/br", body=b"\x00\x01", headers={"Content-Encoding": "br"})
    with pytest.raises(FetchError, match="content encoding"):
        await fetch(server.url("/br"), allow_private=True)


async def test_corrupt_gzip_refused(server):
    server.route("/bad", body=b"\x1f\x8b\x08\x00garbage-not-gzip", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="decompressed"):
        await fetch(server.url("/bad"), allow_private=True)


async def test_slow_server_hits_timeout(server):
    server.route("/slow", handler=lambda h: server.stop.wait(10))
    started = time.monotonic()
    with pytest.raises(FetchError, match="did not load within 0.5 seconds"):
        await fetch(server.url("/slow"), allow_private=True, timeout=0.5)
    assert time.monotonic() - started < 2


async def test_drip_feeding_server_hits_overall_deadline(server):
    def handler(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        for _ in range(100):  # one byte every 0.1 s: each read is quick, the whole is too slow
            if server.stop.wait(0.1):
                return
            h.wfile.write(b"x")
            h.wfile.flush()

    server.route("/drip", handler=handler)
    started = time.monotonic()
    with pytest.raises(FetchError, match="did not load"):
        await fetch(server.url("/drip"), allow_private=True, timeout=0.8)
    assert time.monotonic() - started < 2


async def test_connection_refused_is_fetch_error():
    with LocalServer() as srv:
        port = srv.port
    with pytest.raises(FetchError, match="could not connect"):
        await fetch(f"http://127.0.0.1:{port}/", allow_private=True, timeout=2)


# ------------------------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://example.com/news/1", "https://example.com/news/1"),
        ("  http://example.com/a?b=c#d \n", "http://example.com/a?b=c#d"),
        ("<https://example.com/x>", "https://example.com/x"),
        ("HTTPS://Example.com/", "HTTPS://Example.com/"),
        ("look at https://example.com/x", None),
        ("https://example.com/x and more", None),
        ("example.com/x", None),
        ("ftp://example.com/x", None),
        ("https://", None),
        ("", None),
        ("what happened in Metropolis?", None),
    ],
)
def test_find_single_url(text, expected):
    assert find_single_url(text) == expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.1.258", "10.1.1.2"),
        ("0x0a.0.0.1", "10.0.0.1"),
        ("example.com", None),
        ("1a.example", None),
    ],
)
def test_parse_ipv4_literal(host, expected):
    result = parse_ipv4_literal(host)
    assert (str(result) if result else None) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.xXabcdef", min_size=1, max_size=14))
def test_parse_ipv4_literal_agrees_with_inet_aton(host):
    """Whatever libc's inet_aton accepts as an address, we see as the same address (never as a name)."""
    try:
        expected = socket.inet_ntoa(socket.inet_aton(host))
    except OSError:
        return
    assert str(parse_ipv4_literal(host)) == expected


def test_address_refusal_allows_public():
    for address in (
        PUBLIC_IP,
        "2606:2800:220:1:248:1893:25c8:1946",
        "::ffff:93.184.216.34",
        "2002:5db8:d822::1",
    ):
        assert address_refusal(ipaddress.ip_address(address)) is None
    assert address_refusal(ipaddress.ip_address("10.0.0.1"), allow_private=True) is None
