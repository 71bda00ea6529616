"""Chat Indonesian in questions: the forms people type ("kapan sih …", "berapa duit …", "gimana …") rewritten
to the written forms news articles use, before the question is searched and answered.

Why: a word the index has never seen counts as the rarest word of the question, so a particle like "sih" or
"aja" pulled the right sentence's score towards a refusal, and "brp"/"gimana" were not recognised as question
words. Only the question is rewritten (articles are written language; the index is unchanged), and the answer
still quotes the question as it was asked.

The table holds forms that are not words of English, German or Spanish; the particles that are or may be names
("ya", "dong", "deh") are dropped only in lowercase at the end of a question with an Indonesian word in it, where
they are tags ("… di mana ya?").
"""

from __future__ import annotations

import re

from retrieval.stopwords import QUESTION_ID, STOP_DE, STOP_EN, STOP_ES, STOP_ID
from retrieval.text import _indonesian_roots

# Colloquial form -> written form ("" drops a particle).
_FORMAL = {
    # particles and intensifiers
    "sih": "", "nih": "", "tuh": "", "aja": "saja", "doang": "saja", "banget": "", "bgt": "", "emang": "",
    "emangnya": "",
    # question words
    "gimana": "bagaimana", "gmn": "bagaimana", "bgmn": "bagaimana", "brp": "berapa", "brapa": "berapa",
    "berapaan": "berapa", "kpn": "kapan", "knp": "kenapa", "ngapain": "mengapa", "dmn": "dimana",
    # negation, aspect, conjunctions
    "gak": "tidak", "nggak": "tidak", "enggak": "tidak", "ngga": "tidak", "gk": "tidak", "tdk": "tidak",
    "udah": "sudah", "udh": "sudah", "sdh": "sudah", "blm": "belum", "belom": "belum", "kalo": "kalau",
    "klo": "kalau", "kayak": "seperti", "kyk": "seperti", "krn": "karena", "jg": "juga", "trs": "lalu",
    "sampe": "sampai", "nyampe": "sampai", "gara2": "karena", "gara-gara": "karena",
    # common verbs and nouns
    "bikin": "membuat", "dibikin": "dibuat", "bikinan": "buatan", "dapet": "dapat",
    "pake": "pakai", "dipake": "dipakai", "duit": "uang", "gede": "besar", "ngasih": "memberi",
    "dikasih": "diberi", "nyari": "mencari", "liat": "lihat", "ngeluarin": "mengeluarkan",
    "naikin": "menaikkan", "turunin": "menurunkan", "nambah": "menambah", "ketemu": "bertemu",
    # everyday short forms of words news writes out (found in an Indonesian user's review)
    "cabe": "cabai", "walkot": "wali kota", "wawali": "wakil wali kota", "damkar": "pemadam kebakaran",
    "kades": "kepala desa", "ortu": "orang tua", "org": "orang", "thn": "tahun", "tgl": "tanggal",
    # more chat short forms, verbs and words ("dpt" and "tpi" are left out: news writes DPT, the voters' roll, and
    # TPI, a fish auction, in capitals, and the table is read case-blind)
    "skrg": "sekarang", "skr": "sekarang", "utk": "untuk", "jd": "jadi", "jdi": "jadi", "hrg": "harga",
    "abis": "habis", "temen": "teman", "nuntut": "menuntut", "diadain": "diadakan", "ngadain": "mengadakan",
    "konpers": "konferensi pers",
    # chat words for women and men, and a few more chat forms (found in the news sets: "brp peserta cewek di osn")
    "cewek": "perempuan", "cewe": "perempuan", "cowok": "laki-laki", "cowo": "laki-laki",
    "sebenernya": "sebenarnya", "bener": "benar", "cuman": "hanya", "cuma": "hanya", "bareng": "bersama",
    "ntar": "nanti", "bokap": "ayah", "nyokap": "ibu",
}
# English chat forms (found in an English user's review: "how many ppl died …", "whats the toll", "whos the new
# ceo …" were refused while the written forms were answered). Only forms that are no word of the four languages.
_FORMAL_EN = {
    "whats": "what is", "wats": "what is", "wat": "what", "wht": "what", "whos": "who is", "whens": "when is",
    "wheres": "where is", "hows": "how is", "hw": "how", "ppl": "people", "govt": "government",
    "yrs": "years", "yr": "year", "mins": "minutes", "hrs": "hours", "abt": "about", "b4": "before",
    "bc": "because", "bcoz": "because", "cuz": "because", "coz": "because", "thru": "through", "tho": "though",
    "pls": "", "plz": "", "thx": "",
}
_FORMAL.update(_FORMAL_EN)
_WORDS_RE = re.compile(r"(?i)\b(" + "|".join(sorted(map(re.escape, _FORMAL), key=len, reverse=True)) + r")\b")
_TRAILING_TAG_RE = re.compile(r"[\s,]+(?:ya|yah|yaa|dong|deh|kak|gan)\s*([?!.]*)\s*$")  # lowercase: "Who is Ya?"
# A tag is dropped only from a question with an Indonesian function or question word ("… di mana ya?").
_INDONESIAN_RE = re.compile(
    r"(?i)\b(?:" + "|".join(sorted(QUESTION_ID | (STOP_ID - STOP_EN - STOP_DE - STOP_ES))) + r")\b"
)
# A chat verb with the bare nasal prefix ("ngungsi", "ngambil", "ngirim") is the written "meng-" verb
# ("mengungsi"), lowercase and in an Indonesian question only ("Nguyen" stays).
_NG_VERB_RE = re.compile(r"\b(ng[aeiou][a-z]{2,})\b")


def _written_ng_verb(match: re.Match[str]) -> str:
    """"ngambil" -> "mengambil"; a root word that starts so stays ("ngarai" is a canyon, not "mengarai": found on
    a news set, "kereta gantung ngarai sianok punya brp kabin" searched "ara")."""
    word = match.group(1)
    return word if word in _indonesian_roots() else "me" + word


# The word (run of \w) each pattern's match opens with, lower-case: for ASCII text a pattern with none of them
# among the text's words cannot match, and is not run (`_may_match`).
_RUN_RE = re.compile(r"\w+")
_FORMAL_OPENERS = frozenset(_RUN_RE.match(form).group() for form in _FORMAL)  # "gara-gara" opens with "gara"
_INDONESIAN_OPENERS = frozenset(
    _RUN_RE.match(word).group() for word in QUESTION_ID | (STOP_ID - STOP_EN - STOP_DE - STOP_ES)
)


def _ascii_words(text: str) -> frozenset[str] | None:
    """The lower-cased words of ASCII text; None for other text, where case-insensitive matching folds letters
    beyond ASCII (the Kelvin sign is "k"), so only running a pattern tells."""
    return frozenset(w.lower() for w in _RUN_RE.findall(text)) if text.isascii() else None


def _may_match(words: frozenset[str] | None, openers: frozenset[str]) -> bool:
    """Whether a pattern of whole words (an alternation between word boundaries) whose first words are `openers`
    can match text with these `_ascii_words`: a match opens at a word's start, and its first word is that whole
    word."""
    return words is None or not words.isdisjoint(openers)


# When, relative to today, is no word of an article ("kemarin", "minggu lalu", "yesterday"): searched, it counted
# as the question's rarest word and turned answered questions into refusals, and "Minggu" matched the weekday
# (found in an Indonesian user's review: "brp korban gempa kmrn?" refused, "… minggu lalu?" got the magnitude).
_RELATIVE_TIME_RE = re.compile(
    r"(?i)\b(?:kemarin|kemaren|kmrn|kmrin|semalam|barusan|baru[- ]baru ini|akhir[- ]akhir ini|"
    r"tadi(?:\s+(?:pagi|siang|sore|malam))?|(?:minggu|pekan|bulan)\s+(?:lalu|kemarin|kemaren|ini)|hari\s+ini|"
    r"yesterday|today|tonight|last\s+(?:night|week|month)|this\s+(?:morning|week|month)|recently)\b(?:['’]s\b)?"
)
_SPACES_RE = re.compile(r"\s{2,}")
_SPACE_BEFORE_PUNCT_RE = re.compile(r"\s+([?!.,])")


# "jam berapa" asks for a time of day, which news writes "pukul 09.17": searched as "jam", the word matched a
# duration ("setelah empat jam") in another article (found in an Indonesian user's review).
_CLOCK_RE = re.compile(r"(?i)\b(?:jam|jm)\s+(berapa|brp)\b")
# "… gara-gara apa?", "karena apa?" ask why: written "kenapa", so the article's own "karena" still opens the reason
# (a word the question has is not taken as the reason's marker).
_BECAUSE_WHAT_RE = re.compile(r"(?i)\b(?:gara2|gara-gara|karena|krn)\s+apa\b")


def formal_question(question: str) -> str:
    """The question with chat Indonesian forms replaced by written ones and relative times ("kemarin",
    "last week") left out; unchanged when it has none.

    >>> formal_question("kapan sih tol padang diresmikan ya?")
    'kapan tol padang diresmikan?'
    """
    # A question typed in capitals says nothing by its capitals (names, acronyms, a sentence's start), and read
    # as written every word was a name (found in an English user's review: "WHO IS THE NEW KESTREL CEO").
    out = question.lower() if question.isupper() and len(question.split()) > 1 else question
    out = _BECAUSE_WHAT_RE.sub("kenapa", out)
    # The two long alternations are tried at every position (~35 us a question, on the event loop): most
    # questions have none of their words, which one pass over the words tells.
    seen, words = out, _ascii_words(out)
    if _may_match(words, _FORMAL_OPENERS):
        out = _WORDS_RE.sub(lambda m: _FORMAL[m.group(1).casefold()], out)
    out = _RELATIVE_TIME_RE.sub("", out)
    out = _CLOCK_RE.sub(r"pukul \1", out)
    if out != seen:
        words = _ascii_words(out)
    if _may_match(words, _INDONESIAN_OPENERS) and _INDONESIAN_RE.search(out):
        out = _TRAILING_TAG_RE.sub(r"\1", out)
        out = _NG_VERB_RE.sub(_written_ng_verb, out)
    if out == question:
        return question
    out = _SPACE_BEFORE_PUNCT_RE.sub(r"\1", _SPACES_RE.sub(" ", out)).strip()
    return out or question
