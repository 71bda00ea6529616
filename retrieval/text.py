"""Text normalisation, language detection, word tokens and index terms.

Pure functions, no I/O. `analyze` is the hot path (it runs over every passage at ingest): the text-level steps
(NFKC, casefold, tokenising) are single C calls, and everything per word (accent folding, stop words, stemming)
happens in an LRU-cached function, so the per-word cost is one cache lookup.

Design decisions (measured in benchmarks/tokenizer_choice.py):
- Hyphenated words ("Tapaktuan-Singkil", "GA-181", "anak-anak") are ONE surface token in `word_spans` (a name or
  code is one unit to show and to quote), but `analyze` indexes their parts ("tapaktuan", "singkil"), so a
  question spelling "GA 181" or "Singkil" still matches. A reduplication ("anak-anak") yields its base once.
- Numbers with inner separators ("6,5", "7.500", "3.14", "23/5/2025") are one token. In `analyze`, thousands
  groupings lose their separators ("7.500" == "7,500" == "7500") and dates split into their parts ("2025").
- Stemming: Snowball for the text's language (DEFAULT_STEMMING). Measured against no stemming (-1.1 points mean
  paragraph @1) and Sastrawi for Indonesian (+0.4 on SQuAD-id only, ~10x slower cold, dictionary-based).
  Questions are analysed with their own detected language; giving them the true language ("oracle") changed
  @1 by <= 0.2 points, because detection is >99.8 % right on the development questions.
- Stop words and question words are per language (retrieval/stopwords.py): a union list would remove content words
  of another language ("die", "war", "son").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from itertools import chain

from retrieval.same_meaning import SAME_MEANING, same_meaning_terms
from retrieval.stopwords import EVIDENCE, QUESTION_WORDS, STOP_WORDS

# Derived Indonesian words whose meaning left their root's, kept whole: "meninggal" (died) is no "tinggal" (live,
# stay) — "berapa warga yang tinggal di pengungsian" is not asked of the dead.
_ID_OWN_TERM = frozenset({"meninggal"})

# Editing the same-meaning tables, the stop words or the words kept whole changes terms too: their digest is part
# of the version, so an edit re-indexes.
TOKENIZER_VERSION = "12-snowball-roots-irregular-units-nya-ku-usia-es-strong-es-irregular-same-meaning-id-own-" + (
    hashlib.sha256(
        repr((
            sorted(SAME_MEANING.items()), sorted((k, sorted(v)) for k, v in STOP_WORDS.items()), sorted(_ID_OWN_TERM)
        )).encode()
    ).hexdigest()[:8]
)
SUPPORTED_LANGUAGES = ("id", "en", "de", "es")


# ---------------------------------------------------------------------------------------------------------------
# normalize_document


def _build_normalize_table() -> dict[int, str | None]:
    """Map Unicode spaces to ' ', line separators to '\\n', and drop controls / zero-width / bidi marks."""
    table: dict[int, str | None] = {}
    for cp in range(0x3000 + 1):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if cat == "Cc" and ch not in "\n\t":
            table[cp] = None
        elif cat == "Zs" and ch != " ":
            table[cp] = " "
    for cp in (0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029):  # vertical tab, form feed, separators
        table[cp] = "\n"
    drop = [0x00AD, 0x034F, 0x061C, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0x2061, 0x2062]
    drop += [0x2063, 0x2064, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x2070)]
    for cp in drop:
        table[cp] = None
    # Blank "letters" that render as nothing (Hangul fillers, braille blank): spaces, not words.
    for cp in (0x115F, 0x1160, 0x2800, 0x3164, 0xFFA0):
        table[cp] = " "
    # Compatibility forms that are safe to fold in stored text: ligatures and full-width ASCII.
    for cp in [*range(0xFB00, 0xFB07), *range(0xFF01, 0xFF5F)]:
        table[cp] = unicodedata.normalize("NFKC", chr(cp))
    return table


_NORMALIZE_TABLE = _build_normalize_table()
# Any character the table maps (all below U+10000, so one O(1) set lookup per character): most texts have none,
# and a regex scan is ~20x faster than str.translate with a dict table.
_NEEDS_TABLE_RE = re.compile("[" + "".join(f"\\u{cp:04x}" for cp in sorted(_NORMALIZE_TABLE)) + "]")
_TRAILING_SPACE_RE = re.compile(r"[ \t]+$", re.MULTILINE)
_MANY_NEWLINES_RE = re.compile(r"\n{3,}")


def _translate(text: str) -> str:
    """`text.translate(_NORMALIZE_TABLE)`, skipped when no character of `text` is in the table."""
    if _NEEDS_TABLE_RE.search(text) is None:
        return text
    return text.translate(_NORMALIZE_TABLE)


def normalize_document(text: str) -> str:
    """The canonical stored form of a document; offsets we store point into this string.

    NFC rather than NFKC so that what users see and quote stays as written (only ligatures and full-width ASCII
    are folded). Idempotent.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _translate(text)
    text = unicodedata.normalize("NFC", text)
    # NFC can compose a character that itself maps in the table (rare); translate again to stay idempotent.
    text = _translate(text)
    # The two regex passes only when they can change something: a space/tab before a line end, 3+ newlines.
    if " \n" in text or "\t\n" in text or text.endswith((" ", "\t")):
        text = _TRAILING_SPACE_RE.sub("", text)
    if "\n\n\n" in text:
        text = _MANY_NEWLINES_RE.sub("\n\n", text)
    return text.strip()


# ---------------------------------------------------------------------------------------------------------------
# word tokens


def _mark_ranges() -> list[tuple[int, int]]:
    """Code point ranges of combining marks (Mn/Mc/Me), so 'e\\u0301' or Devanagari stays one word."""
    ranges: list[tuple[int, int]] = []
    start = -1
    limit = 0x20000
    for cp in range(limit + 1):
        is_mark = cp < limit and unicodedata.category(chr(cp))[0] == "M"
        if is_mark and start < 0:
            start = cp
        elif not is_mark and start >= 0:
            ranges.append((start, cp - 1))
            start = -1
    ranges.append((0xE0100, 0xE01EF))  # variation selectors supplement
    return ranges


def _class_body(ranges: list[tuple[int, int]]) -> str:
    return "".join(f"\\U{a:08x}-\\U{b:08x}" if a != b else f"\\U{a:08x}" for a, b in ranges)


_MARK_RANGES = _mark_ranges()
_MARKS = _class_body(_MARK_RANGES)
_ALNUM = r"[^\W_]"  # letters and digits of any script, not underscore
_WORD_CHAR = rf"(?:[^\W_]|[{_MARKS}])"
# A token: a run of letters/digits/marks; inner joiners continue it: hyphens and apostrophes between word chars,
# and . , / : between digits (6,5  7.500  3.14  23/5/2025  10:30).
_TOKEN_RE = re.compile(
    rf"{_ALNUM}{_WORD_CHAR}*(?:(?:[-\u2010\u2011'\u2019](?={_ALNUM})|(?<=\d)[.,/:](?=\d)){_WORD_CHAR}+)*"
)
_PLAIN_WORD_RE = re.compile(rf"{_ALNUM}{_WORD_CHAR}*")

# Speed: `(?:[^\W_]|[marks])*` is a branch inside a repeat, which `re` runs character by character (~3x slower
# than a plain class repeat). On a string that holds no combining mark, `_WORD_CHAR` matches exactly what
# `[^\W_]` matches, so these simpler patterns give identical matches there. Mark detection: the BMP marks form
# one O(1)-per-character set; astral marks (rare) are looked for only when the text has astral characters.
_FAST_TOKEN_RE = re.compile(
    rf"{_ALNUM}+(?:(?:[-\u2010\u2011'\u2019](?={_ALNUM})|(?<=\d)[.,/:](?=\d)){_ALNUM}+)*"
)
_FAST_PLAIN_WORD_RE = re.compile(rf"{_ALNUM}+")
_BMP_MARK_RE = re.compile("[" + _class_body([r for r in _MARK_RANGES if r[1] < 0x10000]) + "]")
_ASTRAL_MARK_RE = re.compile("[" + _class_body([r for r in _MARK_RANGES if r[1] >= 0x10000]) + "]")
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")
assert all(a >= 0x10000 for a, b in _MARK_RANGES if b >= 0x10000)


def _has_marks(text: str) -> bool:
    """Whether `text` contains a combining mark (a character of `_MARKS`)."""
    if text.isascii():
        return False
    if _BMP_MARK_RE.search(text) is not None:
        return True
    return _ASTRAL_RE.search(text) is not None and _ASTRAL_MARK_RE.search(text) is not None


def _token_re(text: str) -> re.Pattern[str]:
    """`_TOKEN_RE`, or its faster equivalent when `text` has no combining marks."""
    return _TOKEN_RE if _has_marks(text) else _FAST_TOKEN_RE


def _plain_word_re(text: str) -> re.Pattern[str]:
    return _PLAIN_WORD_RE if _has_marks(text) else _FAST_PLAIN_WORD_RE


def word_spans(text: str) -> list[tuple[int, int]]:
    """Surface word tokens as (start, end) offsets into `text`, in order; punctuation and emoji are not words."""
    return [m.span() for m in _token_re(text).finditer(text)]


def word_counter(text: str) -> Callable[[int, int], int]:
    """count(start, end) == `len(word_spans(text[start:end]))`, without the slice, the span tuples and a mark
    scan per call (`findall` with pos/endpos: a token starts with a letter/digit and looks behind only inside
    itself, and endpos acts as the end of the string, so it matches exactly as on the slice)."""
    findall = _token_re(text).findall

    def count(start: int, end: int) -> int:
        return len(findall(text, start, end))

    return count


def word_count(text: str, start: int = 0, end: int | None = None) -> int:
    """`len(word_spans(text[start:end]))`."""
    return word_counter(text)(start, len(text) if end is None else end)


# ---------------------------------------------------------------------------------------------------------------
# language detection

_LANGID = None
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")
_ANY_LETTER_RE = re.compile(r"[^\W\d_]")
_DETECT_CHARS = 3000
_chain = chain.from_iterable


def _identifier():  # noqa: ANN202 - py3langid has no types
    """The py3langid model restricted to our languages (loaded once; read-only afterwards)."""
    global _LANGID
    if _LANGID is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
        ident.set_languages(list(SUPPORTED_LANGUAGES))
        _LANGID = ident
    return _LANGID


def detect_language(text: str) -> str:
    """One of SUPPORTED_LANGUAGES, or "und" for text without (Latin) letters.

    Character n-grams (py3langid, restricted to our 4 languages) plus function-word evidence: on a 6-word
    question n-grams alone confuse Indonesian with English, while "di", "yang", "siapa" settle it.
    """
    sample = text[:_DETECT_CHARS]
    letters = len(_ANY_LETTER_RE.findall(sample))
    if letters == 0 or len(_LATIN_RE.findall(sample)) < 0.5 * letters:
        return "und"
    scores = dict(zip(_identifier().nb_classes, _identifier()._decide(sample).tolist(), strict=True))
    folded = sample.casefold()
    words = [_fold(w) for w in _plain_word_re(folded).findall(folded)]
    n = len(words)
    if n <= 60:  # evidence matters on short text; on long text n-grams are reliable and stop words agree
        for lang, vocab in EVIDENCE.items():
            hits = sum(1 for w in words if w in vocab)
            scores[lang] += _EVIDENCE_WEIGHT * hits
    return max(SUPPORTED_LANGUAGES, key=lambda lang: scores[lang])


_EVIDENCE_WEIGHT = 8.0


def has_language_evidence(text: str) -> bool:
    """Whether the text has a function word of one of our languages ("di", "the", "der", "el" …). Without one
    (a name alone: "Dimas Prasetyo?") `detect_language` guesses from letter n-grams."""
    folded = text[:_DETECT_CHARS].casefold()
    words = {_fold(w) for w in _plain_word_re(folded).findall(folded)}
    return any(not words.isdisjoint(vocab) for vocab in EVIDENCE.values())


# ---------------------------------------------------------------------------------------------------------------
# index terms

_SPECIAL_FOLD = str.maketrans(
    {"ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "ı": "i", "ð": "d", "þ": "th", "’": "'", "‐": "-"}
)
_COMBINING_LATIN_RE = re.compile("[\u0300-\u036f]")


@lru_cache(maxsize=1 << 18)
def _fold(word: str) -> str:
    """Accent-fold a casefolded word: Latin diacritics go ("é"->"e", "ü"->"u"); other scripts' marks stay."""
    if word.isascii():
        return word
    word = _COMBINING_LATIN_RE.sub("", unicodedata.normalize("NFD", word)).translate(_SPECIAL_FOLD)
    return unicodedata.normalize("NFC", word)


def fold_word(word: str) -> str:
    """A casefolded surface word in the alphabet of index terms: accents folded and "ß" as "ss" (so stems of
    German compound parts can be found inside it)."""
    return _fold(word).replace("ß", "ss")


_THOUSANDS_RE = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")


_DATE_SEP_RE = re.compile(r"[/\-]")
_POSSESSIVE_RE = re.compile(r"'s$")


def _number_terms(token: str) -> tuple[str, ...]:
    """'7.500' -> ('7500',); '23/5/2025' -> ('23', '5', '2025'); '6,5' stays."""
    if _THOUSANDS_RE.fullmatch(token):
        return (token.replace(".", "").replace(",", ""),)
    if "/" in token or "-" in token:
        return tuple(p for p in _DATE_SEP_RE.split(token) if p)
    return (token,)


# Stemmer factories by variant name. Each returns a function stem(word) for one language.
_ROMAN = frozenset("ivxlcdm")


def _spanish(stem: Callable[[str], str]) -> Callable[[str], str]:
    """Snowball's Spanish without a stem's final "i": it keeps one in some forms of a word and not in others
    ("decidió" -> "decidi" but "decidir", "decidido" -> "decid"; "anunció" -> "anunc" but "anuncio" -> "anunci";
    "Francia" -> "franci" but "francés" -> "frances"). Roman numerals stay ("xviii" is not "xvii")."""

    def stem_es(word: str) -> str:
        out = stem(word)
        if len(out) >= 5 and out[-1] == "i" and not _ROMAN.issuperset(word):
            return out[:-1]
        return out

    return stem_es


def _snowball(lang: str) -> Callable[[str], str]:
    import Stemmer

    names = {"id": "indonesian", "en": "english", "de": "german", "es": "spanish"}
    # PyStemmer's own cache off: every caller sits behind our LRU (`_term_fn`), so it only sees words stemmed
    # for the first time, where its bookkeeping made a stem 4x slower (English 1.85 -> 0.39 us a new word).
    stem = Stemmer.Stemmer(names[lang], maxCacheSize=0).stemWord
    if lang == "es":
        return _spanish(stem)
    if lang != "id":
        return stem

    roots = _indonesian_roots()

    def stem_id(word: str) -> str:
        """Snowball's Indonesian, except for a root word of the dictionary (with a particle or possessive
        ending at most): Snowball strips what looks like a prefix from any word, "menteri" -> "teri" (anchovy),
        "perdana" -> "dana" (fund), "kepala" -> "pala", "pesawat" -> "sawat", which then match unrelated
        articles. It also keeps "-nya" on a short word ("golnya", "bolanya" stay whole while "gempanya" is
        "gempa"); found in review: "siapa pencetak golnya?" was refused. A remainder of at least 3 letters
        ("tanya", "punya", "Kenya" stay)."""
        if word in roots or word in _ID_OWN_TERM:
            return word
        if word.endswith(_ID_ENDING_WORDS):  # a regex only for the few words with such an ending
            base = _ID_ENDINGS.sub("", word)
            if base != word and len(base) >= 3 and (base in roots or base in _ID_OWN_TERM):
                return base
        out = stem(word)
        if out.endswith("nya") and len(out) >= 6:
            out = stem(out[:-3])
        out = _restore_initial(word, out, roots)
        if word.endswith(_ROOT_ENDINGS):
            # "-ku"/"-mu" that ends the root, not a possessive: Snowball strips it before the prefix, so
            # "pelaku" -> "pela", "berlaku" -> "berla", "bertemu" -> "berte". With "-nya" after it, the
            # possessive slot is taken and the prefix comes off instead ("pelakunya" -> "laku").
            whole = _restore_initial(word, stem(word + "nya"), roots)
            if whole in roots and whole.endswith(_ROOT_ENDINGS):
                return whole
        return out

    return stem_id


# A particle, then a possessive ending ("menterinya", "kepalamu", "pesawatnyalah").
_ID_ENDINGS = re.compile(r"(?:ku|mu|nya)?(?:lah|kah|tah|pun)?$")
_ID_ENDING_WORDS = ("ku", "mu", "nya", "lah", "kah", "tah", "pun")
_ROOT_ENDINGS = ("ku", "mu")


@lru_cache(maxsize=1)
def _indonesian_roots() -> frozenset[str]:
    """The root words of Indonesian (Sastrawi's dictionary, 29,931 words from KBBI), read once."""
    from importlib.resources import files

    text = files("Sastrawi.Stemmer").joinpath("data/kata-dasar.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.split() if w.strip())


def _restore_initial(word: str, stem: str, roots: frozenset[str]) -> str:
    """The root's first letter that the prefix swallowed and Snowball does not give back, when the dictionary
    knows the root: "menulis" -> "tulis" (as "ditulis"; Snowball: "ulis"), "menerima" -> "terima", "mengirim" ->
    "kirim", "berenang" -> "renang", "pemain" -> "main". meN-/peN- before a vowel drops a t (or k after "ng")."""
    if not stem or stem[0] not in "aeiou":
        if word[:3] in ("mem", "pem") and word[3:4] in _VOWELS and stem[:1] == "p" and stem not in roots:
            other = "m" + stem[1:]
            return other if other in roots else stem
        return stem
    head = word[:4]
    if head in ("meng", "peng"):
        other = "k" + stem
        return other if stem not in roots and other in roots else stem
    if word[:3] in ("men", "pen") and head not in ("meny", "peny") and word[3:4] in _VOWELS:
        other = "t" + stem
        return other if other in roots else stem
    if word[:3] in ("ber", "ter", "per") and word[3:4] in _VOWELS:
        other = "r" + stem
        return other if stem not in roots and other in roots else stem
    return stem


_VOWELS = frozenset("aeiou")


def _sastrawi() -> Callable[[str], str]:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    # The uncached inner stemmer: Sastrawi's own cache grows without bound; ours is an LRU.
    inner = StemmerFactory().create_stemmer().delegatedStemmer
    return inner.stem


def _identity(word: str) -> str:
    return word


def _make_stemmer(variant: str, lang: str) -> Callable[[str], str]:
    if variant == "none" or lang not in SUPPORTED_LANGUAGES:
        return _identity
    if variant == "sastrawi" and lang == "id":
        return _sastrawi()
    if variant in ("snowball", "sastrawi"):
        return _snowball(lang)
    raise ValueError(f"unknown stemming variant {variant!r}")


STEMMERS = ("none", "snowball", "sastrawi")
DEFAULT_STEMMING = "snowball"


# Units written out and abbreviated are one term ("berapa km?" / "36,6 kilometer", "186 mm" / "millimetres"):
# the stems of the written-out forms in the four languages -> the abbreviation.
UNIT_TERMS = {
    **dict.fromkeys(("kilomet", "kilometr", "kilometer", "kilom"), "km"),
    **dict.fromkeys(("milimeter", "milimetr", "millimet", "millimetr", "millim"), "mm"),
    **dict.fromkeys(("sentimeter", "centimet", "centimetr", "zentim"), "cm"),
    **dict.fromkeys(("kilogram", "kilogramm", "kilogr"), "kg"),
    **dict.fromkeys(("megawatt", "gawatt"), "mw"),
    # Not a unit, the same measure: Indonesian writes a person's age as "usia" and "umur" alike ("Berapa umur
    # orangutan termuda?" / "… bernama Bumi berusia tujuh tahun").
    "umur": "usia",
}


# English irregular verb forms -> the verb, before stemming (Snowball only strips regular endings): found in review,
# "When did the earthquake strike?" was refused against "… struck Cianjur on Monday", "How many homes will be
# rebuilt?" against "promised to rebuild …". Forms that are also common other words are left out ("left",
# "found", "saw", "rose", "lay", "bore", "wound", "ground", "felt").
_IRREGULAR_EN = """
arise arose arisen|awake awoke awoken|bear borne|beat beaten|become became|begin began begun|bend bent|bet|
bite bit bitten|bleed bled|blow blew blown|break broke broken|breed bred|bring brought|broadcast|build built|
burn burnt|burst|buy bought|cast|catch caught|choose chose chosen|cling clung|come came|cost|creep crept|cut|
deal dealt|dig dug|draw drew drawn|drink drank drunk|drive drove driven|eat ate eaten|fall fell fallen|
feed fed|fight fought|flee fled|fling flung|fly flew flown|forbid forbade forbidden|forecast|foresee foresaw
foreseen|forget forgot forgotten|forgive forgave forgiven|freeze froze frozen|get got gotten|give gave given|
go went gone|grow grew grown|hang hung|hear heard|hide hid hidden|hit|hold held|hurt|keep kept|know knew known|
lead led|lend lent|light lit|lose lost|make made|mean meant|meet met|mislead misled|mistake mistook mistaken|
overcome overcame|overhear overheard|oversee oversaw overseen|overtake overtook overtaken|overthrow overthrew
overthrown|pay paid|quit|rebuild rebuilt|redo redid redone|remake remade|repay repaid|retake retook retaken|
rewrite rewrote rewritten|ride rode ridden|ring rang rung|rise risen|run ran|say said|see seen|seek sought|
sell sold|send sent|set|shake shook shaken|shine shone|shoot shot|show shown|shrink shrank shrunk|shut|
sing sang sung|sink sank sunk|sit sat|sleep slept|slide slid|speak spoke spoken|spend spent|spin spun|split|
spread|spring sprang sprung|stand stood|steal stole stolen|stick stuck|sting stung|strike struck stricken|
strive strove striven|swear swore sworn|sweep swept|swim swam swum|swing swung|take took taken|teach taught|
tear tore torn|tell told|think thought|throw threw thrown|undergo underwent undergone|understand understood|
undertake undertook undertaken|uphold upheld|wake woke woken|wear wore worn|weep wept|win won|withdraw withdrew
withdrawn|withhold withheld|withstand withstood|write wrote written
"""
IRREGULAR_EN: dict[str, str] = {
    form: forms.split()[0] for forms in _IRREGULAR_EN.replace("\n", " ").split("|") for form in forms.split()[1:]
}


@lru_cache(maxsize=64)
def _one_fn(lang: str, variant: str, keep_stop: bool) -> Callable[[str], str | None]:
    """The term of one folded word part (None for a stop word), uncached."""
    stem = _make_stemmer(variant, lang)
    stop = frozenset() if keep_stop else STOP_WORDS.get(lang, frozenset())
    lemmas = IRREGULAR_EN if lang == "en" and variant != "none" else {}
    strong = None
    if lang == "de" and variant != "none":
        from retrieval.german_verbs import (
            german_infinitive,  # (it spells its table with this module's fold_word)
        )

        strong = german_infinitive
    elif lang == "es" and variant != "none":
        from retrieval.spanish_verbs import spanish_infinitive

        strong = spanish_infinitive

    def base(word: str) -> str:
        return stem(strong(word) if strong is not None else lemmas.get(word, word))

    same = same_meaning_terms(lang, lambda w: base(_fold(w))) if variant != "none" else {}

    def one(word: str) -> str | None:
        if word in stop:
            return None
        if word.isdigit():
            return word
        t = base(word)
        t = same.get(t, t)
        return UNIT_TERMS.get(t, t)

    return one


@lru_cache(maxsize=64)
def _term_fn(lang: str, variant: str, keep_stop: bool) -> Callable[[str], tuple[str, ...]]:
    """The cached per-word analysis function for one language/variant (one LRU per combination)."""
    one = _one_fn(lang, variant, keep_stop)

    @lru_cache(maxsize=1 << 19)
    def terms(token: str) -> tuple[str, ...]:
        if not token.isascii():  # (ASCII folds to itself: no lookup in `_fold`'s LRU for it)
            token = _fold(token)
        if token[0].isdigit() and not any(c.isalpha() for c in token):
            return _number_terms(token)
        if "'" in token:
            token = _POSSESSIVE_RE.sub("", token).replace("'", "")
        if "-" in token:
            parts = [p for p in token.split("-") if p]
            if len(parts) == 2 and parts[0] == parts[1]:  # reduplication: anak-anak -> anak
                parts = parts[:1]
            out = [one(p) for p in parts]
            return tuple(t for t in out if t)
        if not token:
            return ()
        t = one(token)
        return (t,) if t else ()

    return terms


def _tokens_for_terms(text: str) -> list[str]:
    """Casefolded compatibility-normalised surface tokens (NFKC so 'ﬁ', '²', full-width forms match)."""
    norm = unicodedata.normalize("NFKC", text).casefold()
    return _token_re(norm).findall(norm)


def analyze(text: str, lang: str | None = None, *, stemming: str | None = None) -> list[str]:
    """Index terms of `text` in order (duplicates kept for BM25 term frequencies).

    Pass the article's language when known (detect once per article, not per passage): short passages are
    where detection is least reliable, and a passage analysed in another language than its question won't match.
    `stemming` overrides DEFAULT_STEMMING (benchmarks only).
    """
    if lang is None:
        lang = detect_language(text)
    fn = _term_fn(lang, stemming or DEFAULT_STEMMING, False)
    return list(_chain(map(fn, _tokens_for_terms(text))))


def analyze_word(word: str, lang: str | None) -> tuple[str, ...]:
    """`tuple(analyze(word, lang))` for one surface word, faster for a plain ASCII word (most words of the
    four languages): such a word is already NFKC and is one token, so only the cached term function runs
    (measured at 100k passages on first-time questions, whose words often miss the per-word caches: p50 -0.14 ms)."""
    if lang is not None and word.isascii() and word.isalnum():
        return _term_fn(lang, DEFAULT_STEMMING, False)(word.lower())
    return tuple(analyze(word, lang))


def plain_word_terms(lang: str) -> Callable[[str], tuple[str, ...]]:
    """terms(word) == `analyze_word(word, lang)` for a lowercase ASCII letters-and-digits word, cached per word: for
    callers with many words, which then skip `analyze_word`'s checks and a second per-word LRU."""
    return _term_fn(lang, DEFAULT_STEMMING, False)


def letters_term(lang: str) -> Callable[[str], str | None]:
    """term(word) for a word of lowercase ASCII letters: `analyze_word(word, lang)` is `(term(word),)`, or `()` when
    that is None. Uncached: for words met once, as a misspelling's neighbours one edit away (`retrieval.spelling`),
    where filling the per-word LRU cost more than the stem."""
    return _one_fn(lang, DEFAULT_STEMMING, False)


def analyze_joined(texts: list[str], langs: list[str | None]) -> list[str]:
    """`analyze` of each text in its language, each result as one space-joined string.

    For tokenising in worker processes: one string per passage pickles several times faster than a list of
    terms, and terms never contain whitespace, so `str.split()` gives the list back.
    """
    return [" ".join(analyze(text, lang)) for text, lang in zip(texts, langs, strict=True)]


COMPOUND_LANGS = frozenset({"de"})  # languages that write compounds as one word
MIN_COMPOUND = 8  # shorter unknown terms are left alone
MIN_PART = 4


def split_compounds(terms: list[str], lang: str | None, known: Callable[[str], bool]) -> list[str]:
    """Query terms with each unknown German compound replaced by two known parts.

    "Verteidigungsminister" in a question, but only "Verteidigung" and "Minister" in the articles: dictionary
    decompounding against the index's own vocabulary (each part re-analysed, so linking "s"/"es"/"n" and
    inflection are stemmed away). The split with the longest shorter part wins; a term with no split stays.
    """
    if lang not in COMPOUND_LANGS:
        return terms
    out: list[str] = []
    for term in terms:
        best: tuple[int, list[str]] | None = None
        if len(term) >= MIN_COMPOUND and not known(term):
            for i in range(MIN_PART, len(term) - MIN_PART + 1):
                left, right = analyze(term[:i], lang), analyze(term[i:], lang)
                if len(left) == 1 and len(right) == 1 and known(left[0]) and known(right[0]):
                    score = min(i, len(term) - i)
                    if best is None or score > best[0]:
                        best = (score, [left[0], right[0]])
        out.extend(best[1] if best else [term])
    return out


def analyze_query(text: str, lang: str | None = None, *, stemming: str | None = None) -> list[str]:
    """Terms of a question: like `analyze`, minus question words ("siapa", "where", "wann", "dónde" ...).

    If removing question and stop words leaves nothing ("Who is he?"), the unfiltered terms are returned rather
    than an empty query.
    """
    if lang is None:
        lang = detect_language(text)
    variant = stemming or DEFAULT_STEMMING
    tokens = _tokens_for_terms(text)
    qwords = QUESTION_WORDS.get(lang, frozenset())
    fn = _term_fn(lang, variant, False)
    terms = [t for tok in tokens if _fold(tok) not in qwords for t in fn(tok)]
    if terms:
        return terms
    terms = [t for tok in tokens for t in fn(tok)]
    if terms:
        return terms
    keep = _term_fn(lang, variant, True)
    return [t for tok in tokens for t in keep(tok)]


# ---------------------------------------------------------------------------------------------------------------
# content hash


def content_hash(text: str) -> str:
    """sha256 hex of the words of the text: the same article pasted with other spacing, quotes, dashes or
    punctuation (or letter case, accents composed differently) hashes the same."""
    norm = unicodedata.normalize("NFKC", normalize_document(text)).casefold()
    words = _plain_word_re(norm).findall(norm)
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def article_hash(title: str, body: str) -> str:
    """`content_hash` of an article's text without its headline line: a forwarded post carries its headline as
    its first line, the same article saved from a file or a link has it as its title only (found in review:
    a file and a forward of one article were stored twice). Only a first line that is the title itself and
    stands alone counts; a first paragraph that a title was derived from and cut ("…") stays."""
    return content_hash(body.partition("\n")[2] if starts_with_headline(title, body) else body)


def starts_with_headline(title: str, body: str) -> bool:
    """Whether the body's first line is the title itself, followed by more text (a forwarded post's headline)."""
    first, sep, rest = body.partition("\n")
    return bool(sep and title and first.strip() == title.strip() and rest.strip())
