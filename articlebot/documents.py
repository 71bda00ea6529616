"""Turning uploaded files (and fetched pages) into article text.

Every reader returns an `ExtractedDocument` or raises `DocumentError` whose message is one human line
("report.pdf: the PDF has no text layer (scanned?)"). Nothing else escapes: parser failures of pypdf, lxml,
trafilatura and charset detection are all turned into `DocumentError`.

Text decoding rule (for .txt/.md/.html):
  1. A byte-order mark decides: UTF-8 (BOM stripped), UTF-16 or UTF-32; the data must then decode strictly.
  2. Without a BOM, data with NUL bytes or a known binary signature (PDF, ZIP, PNG, ...) "looks binary".
  3. Strict UTF-8 is tried next (HTML: then the charset its <meta> declares).
  4. Otherwise legacy encodings: Windows-1252 (the usual one for the Western languages we serve) when it
     decodes the bytes and `charset_normalizer` rates it no messier than its own best guess, else that
     guess (e.g. cp1251 for Russian). Accepted only when the "chaos" (mess) score is low and the decoded
     text is mostly printable; anything else is refused as "not UTF-8 text".
  5. Decoded text with many control characters (>5% of characters) "looks binary"; stray ones are removed.
"""

from __future__ import annotations

import codecs
import copy
import io
import logging
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

__all__ = [
    "SUPPORTED_SUFFIXES",
    "DocumentError",
    "ExtractedDocument",
    "extract_html",
    "iter_paths",
    "read_document",
]

log = logging.getLogger(__name__)
# pypdf warns about every oddity of a damaged PDF it still reads ("Ignoring wrong pointing object"): the
# reader sees the one-line result (read, or refused with the reason), not pypdf's notes.
logging.getLogger("pypdf").setLevel(logging.ERROR)

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")
TEXT_SUFFIXES = (".txt",)
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")

TITLE_WORDS = 10  # a derived title is the first this-many words
MAX_TITLE_LINE_CHARS = 250  # a longer first line is a paragraph, not a title
MAX_PDF_PAGES = 2000
MAX_CONTROL_RATIO = 0.05
MAX_CHAOS = 0.25
CP1252_CHAOS_MARGIN = 0.02
MIN_PRINTABLE_RATIO = 0.97


class DocumentError(ValueError):
    """One-line human reason, e.g. 'report.pdf: the PDF has no text layer (scanned?)'."""


@dataclass
class ExtractedDocument:
    title: str | None
    text: str
    url: str | None = None
    source: str | None = None
    published_at: str | None = None
    language: str | None = None


# --------------------------------------------------------------------------------------------- helpers


def human_size(n: float) -> str:
    """A byte count for people: "512 bytes", "64.0 KB", "5.0 MB", "1.2 GB"."""
    if n < 1024:
        return f"{int(n)} bytes"
    for unit in ("KB", "MB", "GB"):
        n /= 1024
        if n < 1024 or unit == "GB":
            return f"{n:.1f} {unit}"
    raise AssertionError("unreachable")


def _suffix(name: str) -> str:
    return os.path.splitext(name.strip())[1].lower()


_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP/Office file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "gzip data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"\xd0\xcf\x11\xe0", "an old Office file"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)


def _is_bad_control(ch: str) -> bool:
    return ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cs", "Co")


def _printable_ratio(text: str) -> float:
    if not text:
        return 1.0
    bad = sum(1 for ch in text if ch not in _ALLOWED_CONTROLS and not ch.isprintable() and ch != "\u00ad")
    return 1.0 - bad / len(text)


def _clean_controls(name: str, text: str) -> str:
    if not text:
        return text
    bad = sum(1 for ch in text if _is_bad_control(ch))
    if bad and bad / len(text) > MAX_CONTROL_RATIO:
        raise DocumentError(f"{name}: the file looks binary, not text")
    if bad:
        text = "".join(ch for ch in text if not _is_bad_control(ch))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_text(name: str, data: bytes, *, html: bool = False) -> str:
    """Decode text bytes by the rule in the module docstring, or raise DocumentError."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise DocumentError(f"{name}: the file is not valid {encoding.upper()} text") from exc
            return _clean_controls(name, text)
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise DocumentError(f"{name}: the file looks binary ({what}), not text")
    if b"\x00" in data:
        raise DocumentError(f"{name}: the file looks binary, not text")
    try:
        return _clean_controls(name, data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if _mostly_utf8(data):  # UTF-8 with a damaged byte: guessing a legacy codec would garble every accent
        raise DocumentError(f"{name}: the file is not valid UTF-8 (byte {first_bad + 1:,} of {len(data):,})")
    if html:
        match = _META_CHARSET.search(data[:4096])
        if match:
            try:
                encoding = codecs.lookup(match.group(1).decode("ascii")).name
                text = data.decode(encoding)
            except (LookupError, UnicodeDecodeError, ValueError):
                pass
            else:
                if _printable_ratio(text) >= MIN_PRINTABLE_RATIO:
                    return _clean_controls(name, text)
    return _clean_controls(name, _detect_and_decode(name, data))


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _mostly_utf8(data: bytes) -> bool:
    """Undecodable as UTF-8, yet with at least as many well-formed UTF-8 multi-byte characters as bad bytes:
    a UTF-8 file with a damaged byte, not Windows-1252 (whose accented letters are single bytes that almost
    never form UTF-8 sequences)."""
    good = len(_UTF8_MULTIBYTE.findall(data))
    bad = data.decode("utf-8", errors="replace").count("\ufffd") - data.count("\ufffd".encode())
    return good > 0 and good >= bad


def _detect_and_decode(name: str, data: bytes) -> str:
    """Legacy (non-UTF-8) text: Windows-1252 if it fits at least as well as charset_normalizer's pick
    (it is the usual legacy encoding for the Western languages we serve, and detectors confuse it with
    cp1250 on short texts), else the detector's pick; either must look like text."""
    refusal = f"{name}: the file is not UTF-8 text and its encoding could not be recognised"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        western = from_bytes(data, cp_isolation=["cp1252"]).best()
    except Exception as exc:  # charset_normalizer must never break a read
        raise DocumentError(refusal) from exc
    if western is not None and (best is None or western.chaos <= best.chaos + CP1252_CHAOS_MARGIN):
        best = western
    if best is None or best.chaos > MAX_CHAOS:
        raise DocumentError(refusal)
    try:
        text = data.decode(best.encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise DocumentError(refusal) from exc
    if _printable_ratio(text) < MIN_PRINTABLE_RATIO:
        raise DocumentError(refusal)
    log.debug("%s: decoded as %s", name, best.encoding)
    return text


def _collapse_ws(line: str) -> str:
    return re.sub(r"[ \t\f\v\u00a0]+", " ", line).strip()


def _derive_title(text: str) -> str:
    first = next((line for line in text.split("\n") if line.strip()), "")
    words = first.split()
    title = " ".join(words[:TITLE_WORDS])
    return title + "…" if len(words) > TITLE_WORDS else title


def _split_title(text: str) -> tuple[str, str]:
    """First non-empty line as title, the rest as body; a single (or over-long) line is kept as the body."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            first = _collapse_ws(line)
            rest = "\n".join(lines[i + 1 :]).strip("\n")
            if rest.strip() and len(first) <= MAX_TITLE_LINE_CHARS:
                return first, rest
            return _derive_title(text), text.strip("\n")
    return "", ""


def _tidy_body(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    out = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", out)


# -------------------------------------------------------------------------------------------- markdown

_MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"\n]*\")?\s*\)")
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_MD_EM_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_MD_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_MD_CODE = re.compile(r"`([^`\n]+)`")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s+|$)(.*?)(?:\s+#+\s*)?$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")
_MD_BULLET = re.compile(r"^(\s*)[*+]\s+")
_MD_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def _md_inline(line: str) -> str:
    line = _MD_IMAGE.sub(lambda m: m.group(1), line)
    line = _MD_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", line)
    line = _MD_AUTOLINK.sub(lambda m: m.group(1), line)
    line = _MD_CODE.sub(lambda m: m.group(1), line)
    line = _MD_STRONG.sub(lambda m: m.group(2), line)
    line = _MD_STRIKE.sub(lambda m: m.group(1), line)
    line = _MD_EM_STAR.sub(lambda m: m.group(1), line)
    line = _MD_EM_UNDERSCORE.sub(lambda m: m.group(1), line)
    return line


def _md_title(line: str) -> str:
    match = _MD_HEADING.match(line)
    if match:
        line = match.group(1)
    return _collapse_ws(_md_inline(line))


def _md_body(text: str) -> str:
    out: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if _MD_FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            out.append(line)
            continue
        if _MD_RULE.match(line) or _MD_SETEXT.match(line):
            out.append("")
            continue
        while _MD_QUOTE.match(line):
            line = _MD_QUOTE.sub("", line, count=1)
        match = _MD_HEADING.match(line)
        if match:
            line = match.group(1)
        line = _MD_BULLET.sub(r"\1- ", line)
        out.append(_md_inline(line))
    return "\n".join(out)


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """A leading YAML front-matter block (--- ... ---): simple `key: value` pairs, and the rest."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() in ("---", "..."):
            meta: dict[str, str] = {}
            for raw in lines[1:end]:
                key, sep, value = raw.partition(":")
                if sep and key.strip() and not key.startswith((" ", "\t")):
                    meta[key.strip().lower()] = value.strip().strip("\"'")
            return meta, "\n".join(lines[end + 1 :])
    return {}, text


def _read_markdown(name: str, text: str) -> ExtractedDocument:
    meta, text = _front_matter(text)
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise DocumentError(f"{name}: the file is empty")
    title = meta.get("title") or ""
    if title:
        body = _md_body("\n".join(lines[start:]))
    else:
        first = lines[start]
        rest = lines[start + 1 :]
        # a setext heading ("Title\n=====") underlines the title line
        if rest and _MD_SETEXT.match(rest[0]) and rest[0].strip():
            rest = rest[1:]
        body = _md_body("\n".join(rest))
        title = _md_title(first)
        if not body.strip() or len(title) > MAX_TITLE_LINE_CHARS or not title:
            body = _md_body("\n".join(lines[start:]))
            title = _derive_title(body)
    body = _tidy_body(body)
    if not body.strip():
        raise DocumentError(f"{name}: the file has no text")
    return ExtractedDocument(
        title=_collapse_ws(_md_inline(title)) or None,
        text=body,
        source=meta.get("source") or meta.get("author") or None,
        published_at=iso_date(meta.get("date") or ""),
        url=meta.get("url") or None,
    )


_MONTH_NUMBERS = {
    name: i
    for i, names in enumerate(
        (
            "januari january januar enero jan ene",
            "februari february februar febrero feb",
            "maret march märz marzo mar mär",
            "april abril apr abr",
            "mei may mai mayo",
            "juni june junio jun",
            "juli july julio jul",
            "agustus august agosto agu agt aug ago",
            "september septiembre setiembre sep sept",
            "oktober october octubre okt oct",
            "november noviembre nov",
            "desember december dezember diciembre des dec dez dic",
        ),
        start=1,
    )
    for name in names.split()
}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\.?\s+(?:de\s+)?([^\W\d_]+)\.?,?\s+(?:de\s+)?(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


_WEEKDAYS = (
    r"senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"lunes|martes|miércoles|jueves|viernes|sábado|domingo"
)
_WEEKDAY_PREFIX = re.compile(rf"(?i)^(?:{_WEEKDAYS}|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+")
_EXTENDED_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?")
_TIME_SUFFIX = re.compile(r"(?i),?\s+(?:pukul\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*(?:WIB|WITA|WIT|UTC|GMT))?$")


# Lines a news site puts between paragraphs that are no part of the article: links to other stories ("Baca juga:
# Jadwal KRL …") and ad markers. Found in an Indonesian user's review: they were stored, counted and answered from.
_PROMPT_LINE_RE = re.compile(
    r"(?im)^[ \t]*(?:baca juga|simak juga|lihat juga|baca pula|tonton juga|read also|also read|read more|see also|"
    r"related)[ \t]*[:：\-–—][^\n]*\n?"
)
_AD_LINE_RE = re.compile(
    r"(?im)^[ \t]*(?:advertisement|iklan|scroll to continue with content|scroll untuk melanjutkan|"
    r"lanjutkan membaca)[ \t]*\n?$\n?"
)
_BLANK_LINES_RE = re.compile(r"\n{3,}")


def without_site_prompts(body: str) -> str:
    """`body` without the "Baca juga: …" / "Read more: …" and ad-marker lines of a copied news page."""
    if not _PROMPT_LINE_RE.search(body) and not _AD_LINE_RE.search(body):
        return body
    out = _AD_LINE_RE.sub("", _PROMPT_LINE_RE.sub("", body))
    return _BLANK_LINES_RE.sub("\n\n", out).strip()


TEXT_DATE_CHARS = 400  # a dateline's date is in the article's first lines
_ANY_DATE_RE = re.compile(
    r"\b(?:\d{1,2}[/.]\d{1,2}[/.]\d{4}|\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]+\.?,?\s+(?:de\s+)?\d{4}|"
    r"[^\W\d_]+\.?\s+\d{1,2},?\s+\d{4})\b"
)


_WEEKDAY_BEFORE = re.compile(rf"(?i)\b(?:{_WEEKDAYS})\W{{0,3}}$")


def text_date(body: str) -> str | None:
    """The dateline's date of an article that came without one ("JAKARTA, KOMPAS.com - … Kamis (15/10/2026)",
    "LONDON, June 3, 2026 (Reuters)"), as ISO: found in an Indonesian user's review, pasted articles and files
    were cited without it. Read in the opening lines after the headline (a headline's date is an event's: "Tarif
    KRL Naik Mulai 1 Februari 2027"); a date after a weekday ("Kamis (15/10/2026)") is the dateline's and comes
    first; never a date after today (an announced event), nor one before 1990 (history, not a dateline)."""
    lines = body.split("\n", 1)
    rest = lines[1] if len(lines) == 2 and lines[1].strip() else body
    head = rest[:TEXT_DATE_CHARS]
    latest = date.today() + timedelta(days=1)
    found: list[tuple[bool, str]] = []
    for m in _ANY_DATE_RE.finditer(head):
        iso = iso_date(m.group(0))
        if iso is None or not (date(1990, 1, 1) <= date.fromisoformat(iso[:10]) <= latest):
            continue
        found.append((_WEEKDAY_BEFORE.search(head, max(0, m.start() - 14), m.start()) is not None, iso))
    if not found:
        return _wire_dateline_date(rest, latest)
    return next((iso for dated, iso in found if dated), found[0][1])


# A wire dateline writes the month and day only, the year being the current one ("PARIS, Nov 20 (Reuters) -",
# "LONDON, June 3 (AP) —"); found in an English user's review: such a file was cited without a date.
_WIRE_DATELINE = re.compile(
    r"\s*[A-Z][A-Z .'’-]{1,30}(?:,\s+[A-Z][a-z]+\.?)?,\s+([^\W\d_]+)\.?\s+(\d{1,2})\s+\("  # "TAMPA, Fla., Nov 20 ("
)


def _wire_dateline_date(text: str, latest: date) -> str | None:
    """The date of a wire dateline without a year: the latest such day not after `latest` (tomorrow)."""
    m = _WIRE_DATELINE.match(text)
    month = _MONTH_NUMBERS.get(m[1].casefold()) if m else None
    if m is None or month is None:
        return None
    for year in (latest.year, latest.year - 1):
        try:
            day = date(year, month, int(m[2]))
        except ValueError:
            return None
        if day <= latest:
            return day.isoformat()
    return None


def iso_date(value: str) -> str | None:
    """A date as ISO 8601 ("23 Mei 2025", "Selasa, 14 Januari 2025 08:00 WIB" -> the date; "20250114",
    "2025-01-14 08:00" -> "2025-01-14", "2025-01-14T08:00:00"), or None when it is not a date: the stored value
    must be one `ingest --jsonl` accepts, so `export` reads back (found in review: compact and spaced ISO forms
    were stored as written, and the usual Indonesian site format failed the article)."""
    value = value.strip().strip("\"'")
    if not value:
        return None
    try:
        if "T" in value or " " in value:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return value if _EXTENDED_ISO.fullmatch(value) else parsed.isoformat()
        return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    value = _TIME_SUFFIX.sub("", _WEEKDAY_PREFIX.sub("", value)).strip("() ")  # "Jumat (23/5/2025)"
    day = month = year = None
    if m := _DAY_MONTH_YEAR.fullmatch(value):
        day, month, year = int(m[1]), _MONTH_NUMBERS.get(m[2].casefold()), int(m[3])
    elif m := _MONTH_DAY_YEAR.fullmatch(value):
        day, month, year = int(m[2]), _MONTH_NUMBERS.get(m[1].casefold()), int(m[3])
    elif m := _NUMERIC_DATE.fullmatch(value):  # day first, as written in Indonesia and Europe
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    if day is None or month is None or year is None:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _read_plain(name: str, text: str) -> ExtractedDocument:
    title, body = _split_title(text)
    body = _tidy_body(body)
    if not body.strip():
        raise DocumentError(f"{name}: the file is empty")
    return ExtractedDocument(title=title or None, text=body)


# ------------------------------------------------------------------------------------------------ HTML

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table td th tr ul".split()
)
_NEVER_CONTENT_TAGS = (
    "script", "style", "noscript", "iframe", "frame", "frameset", "object", "embed", "template", "svg",
    "canvas", "applet",
)  # fmt: skip
_INVISIBLE_TAGS = _NEVER_CONTENT_TAGS + (
    "head", "title", "meta", "link", "button", "select", "input", "textarea", "audio", "video",
)  # fmt: skip


def _parse_html(html: str | bytes):  # -> lxml.html.HtmlElement | None
    import lxml.etree
    import lxml.html

    try:
        if isinstance(html, str):
            # lxml refuses str with an XML encoding declaration
            html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
            if not html.strip():
                return None
        return lxml.html.document_fromstring(html)
    except (lxml.etree.LxmlError, ValueError, TypeError):
        return None


def _html_meta(tree) -> tuple[str | None, str | None]:
    """(<title> or og:title, primary language subtag from <html lang>) from a parsed page."""
    title = None
    language = None
    try:
        for xpath in ("//meta[@property='og:title']/@content", "//title/text()", "//h1//text()"):
            values = [_collapse_ws(str(v)) for v in tree.xpath(xpath)]
            joined = " ".join(v for v in values if v)
            if joined:
                title = joined
                break
        langs = tree.xpath("/html/@lang | //html/@lang")
        if langs:
            primary = str(langs[0]).strip().lower().replace("_", "-").split("-")[0]
            if primary.isalpha() and 2 <= len(primary) <= 3:
                language = primary
    except Exception:  # lxml on hostile input: metadata is optional
        pass
    return title, language


_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s+::\s+")


def _site_in_title(tree, headline: str | None) -> str | None:
    """The site's name a page's <title> writes after its headline ("… 300 jobs | Irish Business Daily")."""
    try:
        raw = _collapse_ws(tree.findtext(".//title") or "")
    except Exception:  # lxml on hostile input: metadata is optional
        return None
    parts = _TITLE_SEPARATOR.split(raw)
    if len(parts) < 2:
        return None
    site = parts[-1].strip()
    if not site or len(site.split()) > 5 or (headline and site.casefold() in headline.casefold()):
        return None
    return site


def _visible_text(tree) -> str:
    """Plain visible text of a page: invisible elements dropped, one paragraph per block element."""
    try:
        for element in list(tree.iter(*_INVISIBLE_TAGS)):
            if element.getparent() is not None:
                element.drop_tree()  # keeps the element's tail text
        for element in tree.iter():
            if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
                element.tail = "\n" + (element.tail or "")
                element.text = "\n" + (element.text or "")
        raw = tree.text_content()
    except Exception:
        return ""
    paragraphs = [_collapse_ws(line) for line in raw.split("\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _trafilatura(html, url: str | None):  # html: str | bytes | lxml HtmlElement
    import trafilatura

    for kwargs in ({}, {"favor_recall": True}):
        try:
            doc = trafilatura.bare_extraction(
                html,
                url=url,
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                include_images=False,
                # Dates from the page's metadata and markup only: the extensive search takes a footer's
                # "Copyright 2025" for a publication date of 2025-01-01, which citations would then show.
                date_extraction_params={"extensive_search": False, "original_date": True},
                **kwargs,
            )
        except Exception as exc:  # trafilatura on hostile input: fall back to plain text
            log.debug("trafilatura failed: %s", exc)
            return None
        if doc is not None and (getattr(doc, "text", None) or "").strip():
            if not _fragmented(doc.text) or kwargs:
                return doc
    return None


def _join_paragraphs(paragraphs: list[str]) -> str:
    """One paragraph per block, except that consecutive list items ("- ...") stay together."""
    out = ""
    for i, paragraph in enumerate(paragraphs):
        if i:
            both_items = paragraph.startswith("- ") and paragraphs[i - 1].startswith("- ")
            out += "\n" if both_items else "\n\n"
        out += paragraph
    return out


def _fragmented(text: str) -> bool:
    """Whether extracted text is broken into word-sized lines (trafilatura's baseline on tiny pages splits
    at inline tags: "Hello\nworld\nagain."). List items ("- ...") are not fragments."""
    lines = [line.strip() for line in text.split("\n")]
    lengths = sorted(len(line) for line in lines if line and not line.startswith("- "))
    return len(lengths) >= 3 and lengths[len(lengths) // 2] < 25


def extract_html(html: str | bytes, url: str | None = None) -> ExtractedDocument:
    """Main text of a web page (trafilatura, with metadata), falling back to plain visible text.

    Bytes are decoded by the module's decoding rule (UTF-8, then <meta charset>, then detection).
    Scripts, styles, frames, embedded objects and <noscript> are removed first; a page with no visible
    text left raises DocumentError.
    """
    label = url or "the page"
    if isinstance(html, bytes):
        html = _decode_text(label, html, html=True)
    if not html.strip():
        raise DocumentError(f"{label}: the page is empty")
    no_text = DocumentError(f"{label}: the page has no readable text (only scripts, styles or frames?)")
    tree = _parse_html(html)
    if tree is None:
        raise no_text
    try:
        for element in list(tree.iter(*_NEVER_CONTENT_TAGS)):
            if element.getparent() is not None:
                element.drop_tree()
    except Exception as exc:  # lxml on hostile input
        raise no_text from exc
    fallback_title, language = _html_meta(tree)
    visible = _visible_text(copy.deepcopy(tree))
    if not visible:
        raise no_text

    doc = _trafilatura(copy.deepcopy(tree), url)
    title: str | None = None
    source: str | None = None
    published_at: str | None = None
    text = ""
    if doc is not None:
        paragraphs = [_collapse_ws(p) for p in (doc.text or "").split("\n")]
        paragraphs = [p for p in paragraphs if p]
        title = _collapse_ws(doc.title or "") or None
        if paragraphs and title and paragraphs[0].casefold() == title.casefold() and len(paragraphs) > 1:
            paragraphs = paragraphs[1:]
        text = _join_paragraphs(paragraphs)
        if _fragmented(text) and len(visible) <= 2 * len(text) + 200:
            text = visible  # same content, without the breaks at inline tags
        source = _collapse_ws(doc.sitename or "") or _collapse_ws(doc.author or "") or None
        if source and title and source.casefold() == title.casefold():
            source = None  # found in an English user's review: the headline was cited as the source
        published_at = doc.date or None
        if not language and getattr(doc, "language", None):
            language = str(doc.language).lower()[:3] or None
    if not text.strip():
        text = visible
    if not title:
        title = fallback_title or _derive_title(text)
    if not source or (" " not in source and "." in source):  # none, or a host name ("example.com")
        source = _site_in_title(tree, title) or source
    if not source and url:
        from urllib.parse import urlsplit

        try:
            host = urlsplit(url).hostname
        except ValueError:
            host = None
        source = host.removeprefix("www.") if host else None
    return ExtractedDocument(
        title=title, text=text, url=url, source=source, published_at=published_at, language=language
    )


# ------------------------------------------------------------------------------------------------- PDF


def _pdf_title(metadata) -> str | None:
    try:
        raw = metadata.title if metadata is not None else None
    except Exception:
        return None
    if not raw:
        return None
    title = _collapse_ws(str(raw))
    if not title or title.lower() in {"untitled", "untitled document", "title", "document"}:
        return None
    if re.search(r"\.(docx?|odt|rtf|pdf|pages|txt|indd|tex|pptx?|xlsx?)$", title, re.I):
        return None  # "Microsoft Word - draft3.docx" is a file name, not a title
    return title


def _read_pdf(name: str, data: bytes) -> ExtractedDocument:
    from pypdf import PasswordType, PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                decrypted = reader.decrypt("")
            except Exception as exc:
                raise DocumentError(f"{name}: the PDF is encrypted and cannot be read") from exc
            if decrypted == PasswordType.NOT_DECRYPTED:
                raise DocumentError(f"{name}: the PDF is password-protected")
        pages: list[str] = []
        for i, page in enumerate(reader.pages):
            if i >= MAX_PDF_PAGES:
                break
            pages.append(page.extract_text() or "")
        title = _pdf_title(reader.metadata)
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on malformed files
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise DocumentError(f"{name}: the PDF could not be read ({reason})") from exc

    text = "\n\n".join(p.strip("\n") for p in pages if p.strip())
    text = _clean_controls(name, text)
    text = re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", text)  # words hyphenated across lines
    if not any(ch.isalnum() for ch in text):
        raise DocumentError(f"{name}: the PDF has no text layer (scanned?)")
    if title:
        body = text
    else:
        title, body = _split_title(text)
    body = _tidy_body(body)
    return ExtractedDocument(title=title or None, text=body)


# ----------------------------------------------------------------------------------------------- public


def read_document(name: str, data: bytes, max_bytes: int) -> ExtractedDocument:
    """Read one uploaded file; `name` gives the type (by suffix) and labels error messages."""
    label = os.path.basename(name.strip()) or "the file"
    suffix = _suffix(name)
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "(no extension)"
        raise DocumentError(f"{label}: unsupported type {shown}; send {', '.join(SUPPORTED_SUFFIXES)} files")
    if len(data) > max_bytes:
        raise DocumentError(
            f"{label}: the file is {human_size(len(data))}, over the {human_size(max_bytes)} limit"
        )
    if not data.strip():
        raise DocumentError(f"{label}: the file is empty")
    if suffix == ".pdf":
        return _read_pdf(label, data)
    if suffix in HTML_SUFFIXES:
        text = _decode_text(label, data, html=True)
        if not text.strip():
            raise DocumentError(f"{label}: the file is empty")
        try:
            return extract_html(text)
        except DocumentError as exc:
            raise DocumentError(str(exc).replace("the page:", f"{label}:", 1)) from exc
    text = _decode_text(label, data)
    if not text.strip():
        raise DocumentError(f"{label}: the file is empty")
    if suffix in MARKDOWN_SUFFIXES:
        return _read_markdown(label, text)
    return _read_plain(label, text)


def _supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def iter_paths(paths: Sequence[Path]) -> Iterator[Path]:
    """Files to import: folders are walked recursively (sorted; supported suffixes only; hidden files and
    folders skipped; symlinked folders followed, each real folder once). A path named explicitly is yielded as
    given, even with an unsupported suffix, so the caller can report why it was not read; so are a folder that
    cannot be listed and a link to a file that does not exist (found in review: both were skipped without a
    word). Each file is yielded once."""
    seen: set[Path] = set()

    def once(path: Path) -> bool:
        try:
            key = path.resolve()
        except OSError:
            key = path.absolute()
        if key in seen:
            return False
        seen.add(key)
        return True

    for path in paths:
        path = Path(path)
        if not path.is_dir():
            if once(path):
                yield path
            continue
        unreadable: list[OSError] = []
        walked: set[Path] = set()
        for root, dirnames, filenames in os.walk(path, followlinks=True, onerror=unreadable.append):
            real = Path(root).resolve()
            if real in walked:  # a link back to a folder already read (a loop)
                dirnames[:] = []
                continue
            walked.add(real)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for filename in sorted(filenames):
                candidate = Path(root) / filename
                if filename.startswith(".") or not _supported(candidate):
                    continue
                if not candidate.is_file() and not (candidate.is_symlink() and not candidate.exists()):
                    continue
                if once(candidate):
                    yield candidate
        yield from (Path(exc.filename) for exc in unreadable if exc.filename)
