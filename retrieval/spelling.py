"""Misspelt question words, read as the word one typing slip away that the articles use; short forms, read
as the words they stand for.

Found in review: "how many peple were kiled in the earthquak?" was refused although every article word was
there. A question word whose term no article has is replaced by the term of a word one edit away (a letter
left out, added, changed or two swapped: Norvig's candidates) that the index knows, the most common one. Only
lower-case words of at least MIN_CHARS letters are corrected: a capitalised word is a name, and a name no
article has is what makes a question unanswerable, not a typing slip.

Indonesian chat writes offices and regions short ("kadinkes", "kalak bpbd", "kab kupang", "jatim", "jogja") where
news writes them out, and news sometimes the other way round. A short form (`SHORT_FORMS`) no article has is
written out (`written_out`) when the articles have every word of its long form, before the question is searched
and answered (found in the news sets: "siapa kalak bpbd kab sukabumi", "… mantan Kadinkes Kabupaten Kupang?"
were refused). Unlike a slip it is not a guess, so it is read so whether or not the question would be refused.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable

from retrieval.answer import rare_idf
from retrieval.persons import OFFICE_SHORT_FORMS
from retrieval.text import _indonesian_roots as indonesian_roots
from retrieval.text import analyze_query, analyze_word, detect_language, letters_term, word_spans

MIN_CHARS = 5  # shorter words have too many neighbours one edit away
# A correction must be a common word: idf at most this share of a once-seen term's (or COMMON_IDF, which in a
# small collection lets any word through). Measured on questions asked of another set's articles: without it,
# FacQA -> SQuAD-id refused 0.801 -> 0.772 and XQuAD en -> SQuAD-id 0.970 -> 0.942 (unknown words of another
# domain 'corrected' into this one's); with it, every set as without corrections.
COMMON_SHARE = 0.4
COMMON_IDF = 2.5
_LETTERS = string.ascii_lowercase
# Short form -> long form; both ways where news writes either ("yogyakarta" -> "jogja" too).
SHORT_FORMS = OFFICE_SHORT_FORMS | {  # offices: the head ("kepala") of an agency, deputies, …
    # regions and their governments
    "kab": "kabupaten", "kec": "kecamatan", "kel": "kelurahan", "prov": "provinsi",
    "pemprov": "pemerintah provinsi", "pemkab": "pemerintah kabupaten", "pemkot": "pemerintah kota",
    "jatim": "jawa timur", "jabar": "jawa barat", "jateng": "jawa tengah", "jakut": "jakarta utara",
    "jaksel": "jakarta selatan", "jakbar": "jakarta barat", "jaktim": "jakarta timur", "jakpus": "jakarta pusat",
    "sumut": "sumatera utara", "sumbar": "sumatera barat", "sumsel": "sumatera selatan",
    "kalbar": "kalimantan barat", "kalteng": "kalimantan tengah", "kalsel": "kalimantan selatan",
    "kaltim": "kalimantan timur", "kaltara": "kalimantan utara", "sulut": "sulawesi utara",
    "sulteng": "sulawesi tengah", "sulsel": "sulawesi selatan", "sultra": "sulawesi tenggara",
    "sulbar": "sulawesi barat", "ntt": "nusa tenggara timur", "ntb": "nusa tenggara barat",
    "jogja": "yogyakarta", "jogjakarta": "yogyakarta", "yogya": "yogyakarta", "yogyakarta": "jogja",
    # district agencies
    "dinkes": "dinas kesehatan", "dishub": "dinas perhubungan", "disdik": "dinas pendidikan",
    "dispar": "dinas pariwisata", "disperindag": "dinas perindustrian dan perdagangan", "dinsos": "dinas sosial",
    "disnaker": "dinas tenaga kerja", "diskominfo": "dinas komunikasi dan informatika",
    "disdukcapil": "dinas kependudukan dan pencatatan sipil", "dispora": "dinas pemuda dan olahraga",
    "distan": "dinas pertanian", "damkar": "pemadam kebakaran",
    # people by their work
    "jukir": "juru parkir", "tki": "tenaga kerja indonesia",
    # regulations
    "permen": "peraturan menteri", "perpres": "peraturan presiden", "perda": "peraturan daerah",
    "pergub": "peraturan gubernur", "perbup": "peraturan bupati", "perwali": "peraturan wali kota",
    "keppres": "keputusan presiden", "inpres": "instruksi presiden",
}


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return set(deletes + swaps + replaces + inserts)


def corrections(
    question: str,
    lang: str | None,
    idf: Callable[[str], float],
    n_docs: int,
    known_idfs: Callable[[Iterable[str]], dict[str, float]] | None = None,
) -> dict[str, str]:
    """{term of a misspelt word: term of the known, common word one edit away}. `idf(term)` is 0.0 for a term no
    article has; among the candidates the most common (lowest idf) wins. `known_idfs(terms)`: the idf of those of
    many terms an article has, in one call (`BM25Index.known_idfs`: ~0.45 ms less a misspelt word than ~500 `idf`
    calls)."""
    if known_idfs is None:
        known_idfs = lambda terms: {t: idf(t) for t in terms}  # noqa: E731
    max_idf = max(COMMON_IDF, COMMON_SHARE * rare_idf(n_docs)) if n_docs else COMMON_IDF
    out: dict[str, str] = {}
    for a, b in word_spans(question):
        word = question[a:b]
        if len(word) < MIN_CHARS or not word.isascii() or not word.isalpha() or not word.islower():
            continue
        terms = analyze_word(word, lang)
        if len(terms) != 1 or idf(terms[0]) != 0.0 or terms[0] in out:
            continue
        best: tuple[float, str] | None = None
        for found, weight in known_idfs(_candidate_terms(word, lang) - {terms[0]}).items():  # the least (weight, term)
            if weight != 0.0 and weight <= max_idf and (best is None or (weight, found) < best):
                best = (weight, found)
        if best is not None:
            out[terms[0]] = best[1]
    return out


def _candidate_terms(word: str, lang: str | None) -> set[str]:
    """The terms of the words one edit away from `word` (lowercase ASCII letters, so are they) that analyse to
    exactly one term."""
    if lang is None:
        return {found[0] for found in (analyze_word(c, None) for c in _edits(word)) if len(found) == 1}
    term = letters_term(lang)  # `analyze_word` of such a word, without filling its cache with ~50 words a letter
    return {t for t in map(term, _edits(word)) if t}


def has_short_form(question: str) -> bool:
    """Whether a word of the question is in `SHORT_FORMS` (a dict lookup a word: cheap enough for every question)."""
    return any(question[a:b].casefold() in SHORT_FORMS for a, b in word_spans(question))


# A lowercase word that may be a chat form of an Indonesian verb (`written_verb`): a bare nasal prefix ("nerima",
# "nyumbang", "milih") or "-in" for "-kan" ("disiapin", "dibagiin"); five letters or more ("napi", "nemu" are not).
_CHAT_VERB_RE = re.compile(r"\b(?:n[aeiouy]|m[aeiou])[a-z]{3,}\b|\b[a-z]{4,}in\b")
_VOWELS = frozenset("aeiou")


def _written_verb_forms(word: str) -> list[str]:
    """Written forms a chat verb may stand for, in order: "-in" read as "-kan", then the nasal prefix written as
    "me-", which in writing swallows the root's t, s or p ("nerima" -> "menerima") but not its c ("nyetak" ->
    "mencetak")."""
    bases = [word[:-2] + "kan", word] if word.endswith("in") and len(word) >= 6 else [word]
    out: list[str] = []
    for base in bases:
        if base != word:
            out.append(base)  # "disiapkan", "mengumpulkan" (from "ngumpulin", `formal_question`)
        if base.startswith("ny") and base[2:3] in _VOWELS:
            out += ["me" + base, "menc" + base[2:]]
        elif base[:1] in ("n", "m") and base[1:2] in _VOWELS and not base.startswith("me"):
            out.append("me" + base)
    return out


def written_verb(word: str, idf: Callable[[str], float]) -> str | None:
    """The written form of a lowercase Indonesian chat verb, when the word is no root and its term no article
    has while the written form's root is in the dictionary and the articles: "nerima" -> "menerima", "nunggu" ->
    "menunggu", "nyumbang" -> "menyumbang", "milih" -> "memilih", "disiapin" -> "disiapkan" (found in the news
    sets: "turis asing yg nonton pacu jalur brp" searched "nonton", which no article writes). A name the
    articles have ("pulau mandangin") is never read so, nor one they lack unless the reading is a known verb."""
    terms = analyze_word(word, "id")
    if len(terms) != 1 or idf(terms[0]) != 0.0 or terms[0] in indonesian_roots():
        return None
    for form in _written_verb_forms(word):
        written = analyze_word(form, "id")
        if len(written) == 1 and written[0] in indonesian_roots() and idf(written[0]) != 0.0:
            return form
    return None


def may_write_out(question: str) -> bool:
    """Whether `written_out` may change the question (a short form, or a word that may be a chat verb): cheap."""
    return has_short_form(question) or _CHAT_VERB_RE.search(question) is not None


def written_out(question: str, idf: Callable[[str], float]) -> str:
    """The question with each short form no article has (`idf` 0.0) written out as its long form, when the
    articles have every term of that, and each chat verb of an Indonesian question in its written form
    (`written_verb`); unchanged otherwise. Any case: "Kadinkes" is no name. Searched and answered so, the short
    answer also leaves out the long form's words ("Asep Hermawan", not "Kepala Pelaksana BPBD …")."""
    short, verbs = has_short_form(question), _CHAT_VERB_RE.search(question) is not None
    if not short and not verbs:
        return question
    lang = detect_language(question) if short else None  # else only once a chat verb is found (~0.1 ms)
    out, last = [], 0
    for a, b in word_spans(question):
        word = question[a:b].casefold()
        long_form = SHORT_FORMS.get(word) if short else None
        if long_form is None:
            if verbs and question[a:b].islower() and _CHAT_VERB_RE.fullmatch(word):
                form = written_verb(word, idf)
                if form is not None and (lang := lang or detect_language(question)) in ("id", "und"):
                    out += [question[last:a], form]
                    last = b
            continue
        lang_or_none = lang if lang != "und" else None
        terms = analyze_word(word, lang_or_none)
        written = analyze_query(long_form, lang_or_none)
        if len(terms) == 1 and idf(terms[0]) == 0.0 and written and all(idf(t) != 0.0 for t in written):
            # "Kaltim" -> "Kalimantan Timur": a capitalised short form stays a name (`consistency` reads names)
            out += [question[last:a], long_form.title() if question[a].isupper() else long_form]
            last = b
    return "".join(out) + question[last:] if out else question
