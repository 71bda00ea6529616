"""What kind of short answer a question asks for, and where such answers sit in a sentence.

Question words of the four supported languages map to a coarse answer type; candidate spans of that type
(numbers, dates, names) are found with patterns that work across those languages. Words that already
appear in the question are never the answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from enum import Enum
from functools import lru_cache

from retrieval.stopwords import QUESTION_WORDS, STOP_WORDS


class AnswerType(Enum):
    NUMBER = "number"
    DATE = "date"
    PERSON = "person"
    PLACE = "place"
    NAME = "name"  # which/what + a noun: usually a proper name
    OTHER = "other"


# Ordered: the first pattern that matches the (casefolded) question decides.
_TYPE_PATTERNS: list[tuple[AnswerType, re.Pattern[str]]] = [
    (
        AnswerType.DATE,
        re.compile(
            r"\b(kapan(?:kah)?|tahun berapa(?:kah)?|pada tahun|tanggal berapa(?:kah)?|sejak kapan|when|what year|"
            r"which year|"
            r"what date|what century|in what year|wann|welche[mnrs]? jahr|in welchem jahr|seit wann|"
            r"cu[aá]ndo|en qu[eé] a[nñ]o|qu[eé] a[nñ]o|qu[eé] fecha|what time|"
            # the day or month asked ("Hari apa pemilihan diadakan?" -> "Kamis")
            r"(?:hari|bulan) (?:apa|mana)(?:kah)?|(?:what|which) (?:day|month)|qu[eé] (?:d[ií]a|mes)|"
            r"(?:an|in)? ?welche[mnrs]? (?:tag|monat))\b"
        ),
    ),
    (
        AnswerType.NUMBER,
        re.compile(
            r"\b(berapa(?:kah)?|seberapa(?:kah)?|how many|how much|how long|how old|how far|how large|how big|"
            r"how tall|how high|how deep|how wide|how heavy|how fast|"
            r"what percentage|wie viele?|wie hoch|wie lange?|wie alt|wie gro(?:ss|ß)|wie tief|wie breit|wie schwer|"
            r"wie weit|wie schnell|cu[aá]nt[oa]s?|qu[eé] porcentaje)\b"
        ),
    ),
    (AnswerType.PERSON, re.compile(r"\b(siapa|siapakah|who|whom|whose|wer|wen|wem|wessen|qui[eé]n(es)?)\b")),
    (
        AnswerType.PLACE,
        re.compile(
            r"\b(di ?mana(?:kah)?|ke ?mana(?:kah)?|dari mana(?:kah)?|kota (?:apa|mana)(?:kah)?|"
            r"negara (?:apa|mana)(?:kah)?|where|wo|wohin|"
            r"woher|d[oó]nde|ad[oó]nde|in which (city|country|state)|in what (city|country|state))\b"
        ),
    ),
    (
        AnswerType.NAME,
        re.compile(
            r"\b(apa nama|nama|which|what is the name|welche[mnrs]?|cu[aá]l(es)?|qu[eé] nombre|"
            # "Wie heißt …?", "¿Cómo se llama …?" ask for a name (the question is casefolded: "ß" is "ss")
            r"wie (?:hiess|heisst|heissen|hiessen|lautet|lautete|lauten|lauteten|nennt|nannte|nennen|nannten)|"
            r"c[oó]mo se (?:llama|llamaba|llaman|llamaban|denomina|denominaba))\b"
        ),
    ),
]


# Question words that ask for no particular type; when one comes before a typed one, the typed one belongs
# to a subordinate clause. ("was" is "what" only in German.)
_GENERIC = re.compile(r"\b(what|apa|apakah|qu[eé])\b")
# The noun a what/which question asks about: "What river …", "¿Qué equipo …", "Welche Stadt …", "Kota apa …".
_HEAD_RE = re.compile(
    r"\b(?P<wh>what|which|welche[mnrs]?|qu[eé]|cu[aá]l(?:es)?)\s+(?P<a>\w+)|\b(?P<b>\w+)\s+(?:apa|mana|apakah)\b",
    re.IGNORECASE,
)
# Nouns after "what" that ask for a description rather than a name ("what kind of …", "qué tipo de …").
_GENERIC_NOUNS = frozenset(
    "type types kind kinds sort form forms part parts way ways reason reasons role purpose effect effects result "
    "results method methods process cause causes happens happened tipo tipos clase forma parte manera razón "
    "papel efecto".split()
)
_GENERIC_DE = re.compile(r"\b(was|what|apa|apakah|qu[eé])\b")


@lru_cache(maxsize=256)  # ~3 calls a question with the same text (its type, its slots, the short answer)
def question_head(question: str) -> tuple[str, int, bool] | None:
    """The noun a what/which question asks about, casefolded; where its question phrase starts; and whether
    the phrase opens with "what"/"qué" (the word that alone asks for no type)."""
    m = _HEAD_RE.search(question)
    if not m:
        return None
    word = (m.group("a") or m.group("b")).casefold()
    # "what"/"qué" + a noun, or Indonesian noun + "mana" ("stadion mana": which stadium) asks for a name
    what = (m.group("wh") or "").casefold() in ("what", "que", "qué") or (
        m.group("b") is not None and m.group(0).casefold().endswith("mana")
    )
    return None if word in _COMMON else (word, m.start(), what)


# The role a who-question asks the holder of: "Siapa wasit …", "Who was the referee …", "¿Quién es el director
# …", "Wer ist der Trainer …".
_ROLE_RE = re.compile(
    r"(?i)\b(?:siapa(?:kah)?\s+(?:nama\s+)?|who\s+(?:is|was|are|were)\s+(?:the\s+)?|"
    r"qui[eé]n(?:es)?\s+(?:es|era|fue|son|eran|fueron)\s+(?:el|la|los|las)\s+|"
    r"wer\s+(?:ist|war|sind|waren)\s+(?:der|die|das)\s+)"
    # "who is the new ceo": the post, not the word that says which holder (found in an English user's review)
    r"(?:(?:new|current|former|previous|old|outgoing|incoming|interim|acting|next|neue[rn]?|nuevo|nueva)\s+)?"
    r"(\w+)"
)


# "Who is South Australia's water minister?": the role follows the possessor ("minister", not "south"); not so
# in "Who is the director general of Sri Lanka's Disaster Management Centre?" (the possessor after "of").
_AFTER_POSSESSOR_RE = re.compile(
    r"(?:(?!\b(?:of|in|at|for|from|on)\b)[\w .&-])*?['’]s\s+(?:\w+\s+){0,3}?(\w+)\s*"
    r"(?:$|[?.!,]|\s(?:of|in|at|for|from|on|who|that)\b)",
    re.I,
)


# "Who chairs …?" asks for the chair, as "Who is the chair of …?" does: English and German verbs of posts that
# lead, with the post whose name (or "chaired by", "geleitet") the answer's sentence writes. Not "led" or "ran"
# ("Who led the Panthers in sacks?" asks for no post); not the Indonesian and Spanish verbs ("memimpin",
# "dirige": measured, FacQA lost a point).
_ROLE_VERBS = {
    "chairs": "chair", "chaired": "chair", "heads": "head", "headed": "head", "coaches": "coach",
    "coached": "coach", "manages": "manager", "managed": "manager",
    "leitet": "leiter", "leitete": "leiter", "trainiert": "trainer",
}
_ROLE_VERB_RE = re.compile(r"(?i)\b(?:who|wer)\s+(\w+)")


def person_role(question: str) -> str | None:
    """The role noun of a who-question ("wasit", "referee", "director"; "chair" for "Who chairs …?"), casefolded;
    None when it has none."""
    m = _ROLE_RE.search(question)
    if m is not None:
        owned = _AFTER_POSSESSOR_RE.match(question, m.start(1))
        word = (owned or m).group(1).casefold()
        if word not in _COMMON and not word.isdigit():
            return word
    verb = _ROLE_VERB_RE.search(question)
    return _ROLE_VERBS.get(verb.group(1).casefold()) if verb is not None else None


def expected_answer_type(question: str, lang: str | None = None) -> AnswerType:
    """The coarse type of answer a question asks for (`lang`: German "was" is "what", English "was" is not)."""
    q = question.casefold()
    if _RANK_QUESTION.search(q):
        return AnswerType.NUMBER  # "What place …" asks for an ordinal, not a place
    # The question word that comes first decides: "What sea bordered the empire when he died?" asks for a
    # name, not a date; "How much time remained when …" for a number. Ties go to the earlier pattern.
    best: tuple[int, int, AnswerType] | None = None
    for order, (atype, pattern) in enumerate(_TYPE_PATTERNS):
        m = pattern.search(q)
        if m and (best is None or (m.start(), order) < best[:2]):
            best = (m.start(), order, atype)
    head = question_head(q)
    if head is not None and head[2] and head[0] not in _GENERIC_NOUNS:
        # "What river runs …", "¿Qué equipo …": what + a noun asks for a name, like "which"
        if best is None or (head[1], len(_TYPE_PATTERNS)) < best[:2]:
            best = (head[1], len(_TYPE_PATTERNS), AnswerType.NAME)
    generic = (_GENERIC_DE if lang == "de" else _GENERIC).search(q)
    if best is None:
        if generic is None and (_QUANTITY_NOUNS.match(q.lstrip("¿¡ ")) or _FINANCE_NOUNS.search(q)):
            # no question word, a quantity first ("harga dexlite?", "jumlah korban?") or a company's figure
            # anywhere ("harlow foods q3 revenue?", "harwood stores underlying pretax profit")
            return AnswerType.NUMBER
        return _quantity_or_other(q, generic)
    if generic and generic.start() < best[0]:
        return _quantity_or_other(q, generic)  # "What happens when …", "Apa yang terjadi ketika …"
    if best[2] is AnswerType.NAME:
        # "What population …", "¿Cuál es la población …?": a quantity, not a name; "Which team … score" stays a name
        noun = head[0] if head is not None else None
        if noun is not None:
            if _QUANTITY_NOUNS.fullmatch(noun) or _FINANCE_NOUNS.fullmatch(noun):
                return AnswerType.NUMBER  # "What revenue figure had analysts forecast …?"
            if _PLACE_NOUNS.fullmatch(noun):
                return AnswerType.PLACE
            if _PERSON_NOUNS.fullmatch(noun):
                return AnswerType.PERSON
            return AnswerType.NAME
        m = _QUANTITY_NOUNS.search(q, best[0])  # counted from the question word itself, hence <=
        if m and len(q[best[0] : m.start()].split()) <= _QUANTITY_WINDOW:
            return AnswerType.NUMBER
    return best[2]


# Nouns that ask for a quantity when a generic question word asks about them: "What was the final score …?",
# "What is the population of …?", "Apa skor akhir …?", "Wie ist die Einwohnerzahl …?" (answer-type taxonomies
# map a question's head noun to a type; these are the measurable ones of our four languages).
_QUANTITY_NOUNS = re.compile(
    r"\b(?:score|population|percentage|percent|proportion|amount|number|price|cost|budget|salary|fee|fare|length|height|"
    r"width|depth|area|distance|weight|temperature|speed|capacity|duration|total|size|"
    r"skor|populasi|persentase|jumlah|harga|biaya|anggaran|suhu|kecepatan|kapasitas|durasi|"
    r"punktzahl|ergebnis|einwohnerzahl|bevölkerung|prozentsatz|anteil|anzahl|zahl|preis|kosten|länge|höhe|"
    r"breite|fläche|entfernung|gewicht|temperatur|geschwindigkeit|"
    r"puntuación|resultado|población|porcentaje|proporción|cantidad|número|precio|costo|coste|presupuesto|"
    r"longitud|altura|anchura|superficie|distancia|peso|temperatura|velocidad|capacidad)\b"
)
_PLACE_NOUNS = re.compile(
    r"city|cities|country|countries|state|states|region|town|village|island|continent|province|county|district|"
    r"kota|negara|provinsi|kabupaten|desa|pulau|benua|wilayah|daerah|kecamatan|"
    r"stadt|land|staat|insel|provinz|bezirk|dorf|"
    r"ciudad|país|estado|región|isla|provincia|pueblo|continente"
)
_PERSON_NOUNS = re.compile(
    r"person|people|man|woman|actor|actress|player|president|king|queen|emperor|scientist|author|writer|artist|"
    r"chemist|physicist|leader|minister|general|coach|singer|composer|painter|poet|pope|architect|engineer|"
    r"orang|tokoh|presiden|raja|ratu|ilmuwan|penulis|pemain|pelatih|menteri|pemimpin|penyanyi|"
    r"mensch|schauspieler|spieler|präsident|könig|königin|kaiser|wissenschaftler|autor|schriftsteller|künstler|"
    r"persona|jugador|presidente|rey|reina|emperador|científico|escritor|artista|entrenador"
)
_QUANTITY_WINDOW = 4  # words from the question word to the noun: what is asked about, not a side phrase
# A company's or an economy's figures, asked with a copula ("What was Kestrel's underlying pre-tax profit for the
# year?", "What is the unemployment rate in Australia?"): a number, further from "what" than other quantities.
_FINANCE_NOUNS = re.compile(
    r"\b(?:profits?|income|revenues?|sales|earnings|loss|losses|charges?|debts?|deficit|surplus|dividends?|"
    r"rates?|valuation|value|turnover|growth|inflation|margin|stake|attendance|turnout|toll|"
    r"laba|pendapatan|penjualan|kerugian|utang|defisit|dividen|inflasi|omzet|"
    r"gewinn|umsatz|verlust|schulden|quote|zinssatz|beneficios?|ganancias?|ingresos|ventas|pérdidas?|deuda|"
    r"inflación|tasa)\b"
)
_WH_COPULA = re.compile(r"(?:'s|\s+(?:is|was|are|were|ist|war|sind|waren|es|fue|son|fueron|adalah))\b")
_FINANCE_WINDOW = 7


def asked_figure(question: str) -> str | None:
    """The figure a what-question asks for ("What was Brightwell's annual pretax profit?" -> "profit"),
    casefolded; None when it names none."""
    m = _FINANCE_NOUNS.search(question.casefold())
    return m.group(0) if m else None
_PREPOSITIONS = frozenset(
    "of for on about behind from to in at after before with untuk dari für von de del por para".split()
)


def _quantity_or_other(q: str, generic: re.Match[str] | None) -> AnswerType:
    """NUMBER when a quantity noun closely follows the generic question word ("what was the final score"),
    else OTHER."""
    if generic is not None:
        nxt = q[generic.end() :].split(maxsplit=1)
        if nxt and nxt[0] in _GENERIC_NOUNS:  # "What happens when the number …" asks about an event
            return AnswerType.OTHER
        m = _QUANTITY_NOUNS.search(q, generic.end())
        if m and len(q[generic.end() : m.start()].split()) < _QUANTITY_WINDOW:
            return AnswerType.NUMBER
        m = _FINANCE_NOUNS.search(q, generic.end())
        between = q[generic.end() : m.start()].split() if m else []
        # "What was Brightwell's annual pretax profit?", not "What caused the losses?", "… the reason for the loss?"
        copula = m is not None and _WH_COPULA.match(q, generic.end()) is not None
        if copula and len(between) <= _FINANCE_WINDOW and _PREPOSITIONS.isdisjoint(between):
            return AnswerType.NUMBER
    return AnswerType.OTHER


_MONTHS = (
    r"januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember|"
    r"january|february|march|may|june|july|august|october|december|"
    r"januar|februar|märz|juni|juli|dezember|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
    r"jan|feb|mar|apr|jun|jul|aug|agu|agt|sep|sept|okt|oct|nov|des|dec|dez"
)
_NUM = r"\d+(?:[.,]\d+)*"
# A range of days is one date ("6-8 November 2026", "6 hingga 8 November", "November 6-8, 2026"): found in an
# Indonesian user's review, "pada 6-8 November 2026" was answered "8 November 2026".
_DAY_RANGE = r"\d{1,2}\s*(?:[-–]|\s(?:hingga|sampai|to|bis|al|a)\s)\s*"
_DATE_RE = re.compile(
    rf"(?i)\b(?:{_DAY_RANGE}\d{{1,2}}\.?\s+(?:de\s+)?(?:{_MONTHS})\.?(?:\s+(?:de\s+)?\d{{4}})?"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}\s*[-–]\s*\d{{1,2}}(?:,\s*\d{{4}})?"
    rf"|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{1,2}}/\s?\d{{1,2}}(?!\s*[/\d])"
    rf"|\d{{1,2}}\.?\s+(?:de\s+)?(?:{_MONTHS})\.?(?:\s+(?:de\s+)?\d{{4}})?"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?"
    rf"|(?:{_MONTHS})\.?\s+(?:de\s+)?\d{{4}}"
    rf"|(?:abad\s+(?:ke-?)?\s*)?\d{{1,4}}(?:-an|s|er)?"
    rf"|\d{{4}}\s*[-–]\s*\d{{2,4}})\b"
)
_DIGIT_RE = re.compile(r"\d")


# The words a date can open with: its other forms open with a digit.
_DATE_OPENERS = frozenset(_MONTHS.split("|")) | {"abad"}
_RUN_RE = re.compile(r"\w+")


def _dates(region: str) -> Iterator[re.Match[str]]:
    """`_DATE_RE.finditer(region)`. Each of its forms has a digit, so text without one is not scanned, and each
    opens a word (a run of \\w) with a digit, a month name or "abad", so it is tried only there: its month-name
    alternation, tried at every position, made it the costliest search of a date question (sentences with a
    digit: 121 -> 24 us)."""
    if not _DIGIT_RE.search(region):
        return iter(())
    return _matches_at(_DATE_RE, region, _word_starts(region, _DATE_OPENERS))


def _word_starts(text: str, words: frozenset[str]) -> list[int]:
    """Where the words of `text` start that open with a digit, or are one of `words` (lower-case) in any case. A
    word with a letter beyond ASCII counts too: case-insensitive matching folds some to ASCII ("ſ" is "s")."""
    return [
        m.start()
        for m in _RUN_RE.finditer(text)
        if (w := m.group())[0].isdigit() or not w.isascii() or w.lower() in words
    ]


def _matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern that can only match at `starts` (ascending): each is tried in turn
    as finditer tries every position, from the end of the last match on."""
    end = 0
    for at in starts:
        if at >= end:
            m = pattern.match(text, at)
            if m is not None:
                yield m
                end = m.end()


_WEEKDAYS = (
    "senin|selasa|rabu|kamis|jumat|sabtu|minggu|monday|tuesday|wednesday|thursday|friday|saturday|"
    "sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lunes|martes|miércoles|jueves|viernes|"
    "sábado|domingo"
)
_WEEKDAY_RE = re.compile(
    rf"(?i)\b(?:{_WEEKDAYS})(?:\s+(?:pagi|siang|sore|malam|dini\s+hari|morning|afternoon|evening|night|"
    r"morgen|vormittag|nachmittag|abend|por\s+la\s+(?:mañana|tarde|noche)))?\b"
)
_WEEKDAY_WORDS = frozenset(_WEEKDAYS.split("|"))


def _weekdays(region: str) -> list[tuple[int, int]]:
    """The spans of `_WEEKDAY_RE.finditer(region)`: a match is a whole word that names a weekday, then maybe the
    time of day, so it is tried only at such words (like `_dates`). ASCII text without a digit and without a
    weekday's name inside it has none of the words `_word_starts` gives: a date question's windows without a date
    are searched for a weekday, most in vain, and listing their words was the cost."""
    if region.isascii() and not _DIGIT_RE.search(region):
        low = region.lower()
        if not any(day in low for day in _WEEKDAY_WORDS):
            return []
    return [m.span() for m in _matches_at(_WEEKDAY_RE, region, _word_starts(region, _WEEKDAY_WORDS))]


_CURRENCY_SIGNS = "$€£¥₹"
_CURRENCY_PREFIX = re.compile(r"(?i)[a-z]{1,2}")  # the letters of "A$", "US$", "HK$"
_DATE_PARTS = re.compile(rf"(?i)/|\b(?:{_MONTHS})\b")  # a date written with a slash or a month name
# A year named as one: "tahun 971", "the year 971", "im Jahr 971", "en el año 971" (an old year is one too).
_YEAR_WORD = re.compile(r"(?i)\b(?:tahun|year|jahr|jahre|año)\s+$")
_YEARISH = re.compile(r"^(1[0-9]{3}|20[0-9]{2})(-an|s|er)?$")
# Units that follow a number and belong to its answer ("14 hari", "200 MW", "1,2 miliar dollar AS"), unless the
# question already says them ("Berapa hari …?" is answered "14", as the QA sets' gold answers are); see with_unit.
_UNITS = (
    r"hari|minggu|pekan|bulan|tahun|jam|menit|detik|days?|weeks?|months?|years?|hours?|minutes?|seconds?|"
    r"tage?n?|wochen?|monate?n?|jahren?|stunden?|minuten?|sekunden?|d[ií]as?|semanas?|mes(?:es)?|años?|horas?|"
    r"minutos?|segundos?|"
    r"km|kilometers?|kilometres?|kilometer|meters?|metres?|metros?|mil(?:es|e)s?|cm|mm|kg|kilograms?|gram|ton|"
    r"sentimeter|centimet(?:er|re)s?|zentimeter|cent[ií]metros?|milimeter|millimet(?:er|re)s?|"
    r"tons|tonnes?|toneladas?|hektare?|hectares?|hectáreas?|mw|gw|kw|kwh|mwh|watt|volt|liter|liters?|litres?|"
    r"derajat|degrees?|grad|grados?|"
    r"rupiah|dolar|dollars?|dólares?|euros?|yen|yuan|pounds?|ringgit|"
    r"orang|jiwa|unit|ekor|buah|people|persons?|personen|personas?"
)
# The unit with what completes it: a currency's country ("dollar AS"), an area or volume ("meter kubik", "meter
# persegi", "Kubikmeter" is one word; found in review: "16,4 juta meter kubik" was answered "16,4 juta meter").
_UNIT_AFTER = re.compile(
    rf"(?i)\s+({_UNITS})\b(?:\s+(?:AS|US|Amerika|Singapura|Australia|kubik|persegi|cubic|square|cúbicos?|"
    rf"cuadrados?)\b)?"
)
_AGE_WORDS = frozenset({"old", "age", "alt", "usia", "umur", "berumur", "berusia", "edad"})
# An age's unit left out of the short answer ("How old …?" -> "39"); Indonesian news answers with it ("berusia 9
# tahun" -> "9 tahun", as FacQA's answers and the news sets write it).
_YEAR_UNITS = frozenset({"years", "year", "jahre", "jahren", "jahr", "años", "año"})
_NUMBER_END = re.compile(
    r"(?i)(?:\d|%|\b(?:juta|miliar|triliun|ribu|ratus|million|billion|trillion|thousand|hundred|millionen|"
    r"milliarden|billionen|millones|mil|millón|miles|billones|billón)s?|"
    # a number written as a word ("enam bulan", "nine years")
    r"\b(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|belas|puluh|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|zwölf|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce))$"
)


def with_unit(text: str, start: int, end: int, limit: int, q_surface: frozenset[str]) -> tuple[int, int]:
    """A number span extended by the unit written right after it ("14" -> "14 hari", "66.500" -> "66.500 dollar
    AS") when the question does not say the unit itself; other spans unchanged. The unit is attached after the span
    is chosen, so it never changes which candidate wins."""
    if not _NUMBER_END.search(text[start:end]):
        return start, end
    m = _UNIT_AFTER.match(text, end, limit)
    if m is None:
        return start, end
    unit = m.group(1).casefold()
    if unit in q_surface or (unit in _YEAR_UNITS and not _AGE_WORDS.isdisjoint(q_surface)):
        return start, end  # "Berapa hari …?" -> "14"; "How old …?" -> "39"
    return start, m.end()


_NUMBER_WORDS = (
    "satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus|seribu|"
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|"
    "eins?|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|zwölf|"
    "uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce"
)
_NUMBER_RE = re.compile(
    rf"(?i)(?:(?:rp|[a-z]{{0,2}}\$|€|£)\s?)?{_NUM}(?:(?:bn|mn|m|k)\b)?"  # "£3.27bn", "£41m"
    rf"(?:\s?%|\s?persen|\s?percent|\s?prozent|\s?por ciento)?"
    rf"(?:\s+(?:juta|miliar|triliun|ribu|ratus|million|billion|trillion|thousand|hundred|millionen|milliarden|"
    rf"billionen|millones|mil|millón|miles|billones|billón)s?\b)?"  # whole words: not "mil" of "milimeter"
    rf"|\b(?:{_NUMBER_WORDS})\b"
)
# The number words as words ("eins?": "ein", "eins"), and how far before its first digit a number can open
# ("US$ 5": two letters, the sign, a space).
_NUMBER_OPENERS = frozenset(
    w for alt in _NUMBER_WORDS.split("|") for w in ([alt[:-2], alt[:-1]] if alt.endswith("?") else [alt])
)
_NUMBER_LEAD = 4


def _numbers(region: str) -> Iterator[re.Match[str]]:
    """`_NUMBER_RE.finditer(region)`, tried only where a number can open: up to `_NUMBER_LEAD` characters before a
    digit, or at a number word (like `_dates`: with the date search, a number question's typed candidates took
    75 us a sentence, now 30)."""
    digits = [m.start() for m in _DIGIT_RE.finditer(region)]
    starts = {d - k for d in digits for k in range(_NUMBER_LEAD + 1)}
    starts.update(_word_starts(region, _NUMBER_OPENERS))
    return _matches_at(_NUMBER_RE, region, sorted(a for a in starts if a >= 0))


# Capitalised word sequences, allowing short lowercase connectors inside ("Universitas of X", "van der").
_CONNECT = r"(?:of|the|de|del|la|las|los|van|von|der|den|di|da|dan|y|und|and|bin|binti|el|al)"
_NAME_RE = re.compile(
    rf"(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*|[0-9]+[A-Z][\w-]*)"
    rf"(?:\s+(?:{_CONNECT}\s+)?(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*|[0-9]+(?![.,]?[0-9])))*"  # not "Rp 13" of "Rp 13.200"
)
_WORD_RE = re.compile(r"\w+", re.UNICODE)
_CONNECTOR_WORD = re.compile(_CONNECT)
def is_percent(span: str) -> bool:
    return "%" in span or _PERCENT_WORD.search(span) is not None


# How much something changed ("how much did Halvard Cloud grow", "how much did the shares fall", "naik berapa
# persen"): the answer is the change, a percent when the sentence gives one ("grew 27% to $2.35 billion" -> "27%").
_CHANGE_QUESTION = re.compile(
    r"(?i)\bhow\s+much\s+(?:did|does|do|has|have|had|will|would)\b.*\b(?:grow|grew|grown|rise|rose|risen|fall|fell|"
    r"fallen|drop|dropped|jump|jumped|increase|increased|decrease|decreased|climb|climbed|slip|slipped|tumble|"
    r"tumbled|go\s+up|went\s+up|gone\s+up|go\s+down|went\s+down|gain|gained|decline|declined|shrink|shrank|"
    r"surge|surged|sink|sank|plunge|plunged|slide|slid|soar|soared)\b|"
    r"\b(?:naik|turun|melonjak|anjlok|merosot|tumbuh)\s+(?:berapa|brp)\b|"
    r"\bberapa\s+(?:kenaikan|penurunan|pertumbuhan)\b|"
    r"\bum\s+wie\s+viel\b|\bcu[aá]nto\s+(?:subi[oó]|baj[oó]|creci[oó]|cay[oó]|aument[oó]|disminuy[oó])\b"
)


def asks_for_change(question: str) -> bool:
    """Whether a number question asks by how much something changed (then a percent answers it first)."""
    return _CHANGE_QUESTION.search(question) is not None


_PERCENT_WORD = re.compile(r"(?i)\b(?:persen|percent|prozent|por ciento)\b")
_RANGE_JOIN = re.compile(
    r"\s*(?:[-–—]|to|and|or|bis|und|oder|y|o|a|hasta|hingga|sampai|dan|atau)\s*", re.IGNORECASE
)


def _words(s: str) -> list[str]:
    return [w.casefold() for w in _WORD_RE.findall(s)]


def _strip_question_words(
    text: str, s: int, e: int, q_surface: frozenset[str], trailing: bool = True
) -> tuple[int, int] | None:
    """Trim leading (and trailing) words that the question already contains; None when nothing new is left.

    Names keep trailing question words: "Gustave Eiffel" answers "Who designed the Eiffel Tower?", while
    "Kota Munich" becomes "Munich" for "Di kota mana ...?".
    """
    tokens = [(m.start() + s, m.end() + s) for m in _WORD_RE.finditer(text[s:e])]
    whole = list(tokens)
    while tokens and text[tokens[0][0] : tokens[0][1]].casefold() in q_surface:
        tokens.pop(0)
    if tokens and len(tokens) < len(whole) and _CONNECTOR_WORD.fullmatch(text[tokens[0][0] : tokens[0][1]]):
        tokens = whole  # "Sea of Japan" for "What sea …?", not "of Japan"
    while trailing and tokens and text[tokens[-1][0] : tokens[-1][1]].casefold() in q_surface:
        tokens.pop()
    if not tokens:
        return None
    return tokens[0][0], tokens[-1][1]


def _sentence_initial(text: str, pos: int, start: int) -> bool:
    before = text[start:pos].rstrip()
    return not before or before[-1] in ".!?\"“”'‘’(—–-:;"


# A how-much question about money ("Berapa biaya …", "How much did … pay", "¿Cuánto costó …?"): its answer is
# an amount of money, so a number that is not one (a length, a count, a year) does not answer it.
_MONEY_QUESTION = re.compile(
    r"\b(?:biaya|biayanya|harga|harganya|duit|uang|dana|pendanaan|tarif|tarifnya|anggaran|ongkos|gaji|upah|"
    r"modal|investasi|denda|bayar|dibayar|membayar|dibayarkan|rupiah|"
    r"cost|costs|costed|price|prices|priced|fee|fees|fare|fares|pay|paid|pays|spend|spent|worth|budget|salary|"
    r"wage|wages|funding|invest|invested|investment|fine|fined|money|dollars?|euros?|pounds?|"
    r"kosten|kostet|kostete|gekostet|bezahlt|gezahlt|zahlte|gehalt|geld|"
    r"cuesta|cuestan|costó|costaron|costo|coste|precio|pagó|pagaron|pagar|presupuesto|salario|dinero|dólares)\b"
)
# Counting questions ask for a number of things even when money is mentioned ("How many fans paid …").
_COUNT_QUESTION = re.compile(r"\b(?:how many|wie viele|cu[aá]nt[oa]s|berapa(?:kah)? (?:banyak|orang|kali|jumlah))\b")
_MONEY_MARK = re.compile(
    r"(?i)(?:^|\b)(?:rp|[a-z]{0,2}\$|us\$)|[$€£¥₹]|\b(?:rupiah|dolar|dollars?|dólares?|euros?|yen|yuan|pounds?|"
    r"ringgit|pesos?|francs?|usd|idr|eur|gbp|cents?|pence|juta|miliar|triliun|million|billion|trillion|millionen|"
    r"milliarden|"
    r"millones|mil millones|billones)\b"
)
_MONEY_AFTER = re.compile(
    r"(?i)\s*(?:rupiah|dolar|dollars?|dólares?|euros?|yen|yuan|pounds?|ringgit|pesos?|francs?|usd|idr|eur|gbp|"
    r"cents?|pence|céntimos?)\b"
)


# A clock time ("jam berapa …", "pukul berapa …", "um wie viel Uhr …", "¿a qué hora …"): "jam" is then no unit.
_CLOCK_QUESTION = re.compile(r"(?i)\b(?:jam berapa(?:kah)?|pukul berapa(?:kah)?|um wie viel uhr|a qu[eé] hora)\b")
_CLOCK_TIME = re.compile(r"\b(?:[01]?\d|2[0-3])[.:][0-5]\d\b")


def asks_for_clock_time(question: str) -> bool:
    return _CLOCK_QUESTION.search(question) is not None


def is_clock_time(text: str) -> bool:
    """ "13.21", "7:05": a time of day (hours.minutes)."""
    return _CLOCK_TIME.search(text) is not None


# "Berapa umur …?", "usianya berapa", "How old …?", "¿Qué edad …?", "Wie alt …?": the question asks an age (not
# "Berapa banyak pria berusia lebih dari 18 tahun …?", where the age says who is counted).
_AGE_QUESTION = re.compile(
    r"(?i)\b(?:berapa(?:kah)?\s+(?:umur|usia)|(?:umur|usia)(?:nya)?\s+berapa|how\s+old|what\s+age|"
    r"qu[eé]\s+edad|wie\s+alt)\b"
)


def asks_for_age(question: str) -> bool:
    """Whether a number question asks how old someone or something is."""
    return _AGE_QUESTION.search(question) is not None


def asks_for_money(question: str) -> bool:
    """Whether a number question asks for an amount of money (then only amounts answer it)."""
    q = question.casefold()
    return _MONEY_QUESTION.search(q) is not None and _COUNT_QUESTION.search(q) is None


# A how-many question counts things ("berapa pengungsi", "how many stores", "cuántas obras"): a number written
# with a measure ("80 sentimeter", "92 persen", "3 hari", "Rp 2,4 miliar") answers another question (found in
# the news sets: "banjir di demak ada berapa pengungsi" was answered "80 sentimeter"). Indonesian "berapa banyak
# …" is left out: it also asks how much ("berapa banyak oksigen …" -> "6,04 mililiter").
_COUNT_NOUN_Q = re.compile(r"(?i)\b(?:how\s+many|wie\s+viele|cu[aá]nt[oa]s)\s+(?:more\s+|de\s+)?(\w+)")
# Indonesian "berapa X" measures as often as it counts ("berapa laba", "berapa produksi"): it counts only the
# nouns news counts (people, buildings, places, vehicles, cases, events).
_COUNT_NOUN_ID = re.compile(r"(?i)\bberapa(?:kah)?(?:\s+jumlah|\s+banyak)?\s+(\w+)")
_COUNTED_ID = frozenset(
    "orang korban warga pengungsi penduduk jiwa pasien penumpang peserta siswa murid mahasiswa guru dokter "
    "perawat petugas personel anggota pegawai karyawan pekerja buruh tersangka terdakwa saksi pelaku pedagang "
    "nelayan petani atlet pemain penonton pengunjung wisatawan pendaki keluarga kk balita anak "
    "rumah bangunan gedung kios toko sekolah kantor unit kendaraan mobil motor bus truk kapal perahu pesawat "
    "kereta gerbong desa kelurahan kecamatan kabupaten kota provinsi negara lokasi titik posko pos "
    "kasus kejadian kali gol medali pertandingan".split()
)
DIMENSIONS = frozenset(
    "tinggi luas lama besar besarnya jauh panjang lebar dalam kedalaman berat usia umur harga nilai biaya tarif "
    "suhu skor kecepatan volume kapasitas total jumlah persen persentase kadar ukuran jarak waktu banyak "
    "percent times".split()
)
# "How old/big/steep …?", "¿Qué tan grande …?", "seberapa jauh …": the word after the question word names the
# dimension asked about. The answer's sentence writes the measure ("Lund, 24, …", "measures 11.8 millimetres",
# "gradients of up to 11%"), seldom the word.
_DIMENSION_RE = re.compile(r"(?i)\b(?:how|qu[eé]\s+tan|cu[aá]n|seberapa|wie|(?P<b>berapa(?:kah)?))\s+(\w+)")


def dimension_word(question: str) -> str | None:
    """The word a how-question asks the measure of ("how old" -> "old", "qué tan alto" -> "alto", "berapa luas"
    -> "luas"), casefolded; after "berapa" only a dimension (not the counted noun of "berapa pengungsi")."""
    m = _DIMENSION_RE.search(question)
    if m is None:
        return None
    word = m.group(2).casefold()
    return word if m.group("b") is None or word in DIMENSIONS else None


_MEASURES = re.compile(  # after the number, a space or a hyphen ("a four-year construction", "a 10-hour meeting")
    r"(?i)(?:\s*|-)(?:%|persen|percent|prozent|por\s+ciento|"
    r"(?:hari|minggu|pekan|bulan|tahun|jam|menit|detik|days?|weeks?|months?|years?|hours?|minutes?|seconds?|"
    r"tage?n?|wochen?|monate?n?|jahren?|stunden?|minuten?|d[ií]as?|semanas?|mes(?:es)?|años?|horas?|minutos?|"
    r"km|kilomet(?:er|re)s?|meters?|metres?|metros?|miles|cm|mm|kg|kilograms?|gram|tons?|tonnes?|toneladas?|"
    r"sentimeter|centimet(?:er|re)s?|zentimeter|cent[ií]metros?|milimeter|millimet(?:er|re)s?|hektare?|"
    r"hectares?|hectáreas?|mw|gw|kw|kwh|mwh|watt|volt|liters?|litres?|litros?|derajat|degrees?|grad|grados?)\b)"
)
_CURRENCY = re.compile(
    r"(?i)(?:^|\b)(?:rp|[a-z]{0,2}\$|us\$)|[$€£¥₹]|\b(?:rupiah|dolar|dollars?|dólares?|euros?|yen|yuan|"
    r"pounds?|ringgit|pesos?|francs?|usd|idr|eur|gbp)\b"
)


def asked_count_noun(question: str) -> str | None:
    """The noun a how-many question counts ("berapa pengungsi" -> "pengungsi"), casefolded; None when the
    question measures (a dimension, a unit: "berapa tinggi", "how many years") or asks for money."""
    m = _COUNT_NOUN_Q.search(question)
    if m is None:
        m = _COUNT_NOUN_ID.search(question)
        if m is None or m.group(1).casefold() not in _COUNTED_ID:
            return None
    if asks_for_money(question):
        return None
    noun = m.group(1).casefold()
    return noun if _countable(noun) else None


def _countable(noun: str) -> bool:
    return not (noun in DIMENSIONS or noun.isdigit() or _MEASURES.fullmatch(noun) or _CURRENCY.fullmatch(noun))


def written_count_noun(question: str, texts: Iterable[str]) -> str | None:
    """The noun of an Indonesian "berapa X" that the texts count, a number written right before it ("berapa PPPK
    …" and "2.146 PPPK"), when it is none of the nouns news always counts (`asked_count_noun`): as for those, only
    a count answers it, not "Rp 96 miliar". "berapa laba" stays a measure: its number follows the noun."""
    m = _COUNT_NOUN_ID.search(question)
    if m is None or asks_for_money(question):
        return None
    noun = m.group(1).casefold()
    if not noun.isalpha() or not _countable(noun) or noun in _COUNTED_ID or noun in STOP_WORDS["id"]:
        return None
    return noun if any(_written_after_number(t.casefold(), noun) for t in texts) else None


_NUMBER_BEFORE = re.compile(r"\d(?:[\d.,]*\d)?\s+$")


def _written_after_number(text: str, noun: str) -> bool:
    """Whether `noun` is written right after a number in `text` (both casefolded): plain string search, no pattern
    compiled for each question's noun."""
    at = text.find(noun)
    while at >= 0:
        end = at + len(noun)
        if (end == len(text) or not text[end].isalnum() and text[end] != "_") and _NUMBER_BEFORE.search(
            text, max(0, at - 40), at
        ):
            return True
        at = text.find(noun, at + 1)
    return False


def is_measure(text: str, start: int, end: int) -> bool:
    """Whether the number text[start:end] is written with a measure, a percent or a currency ("80 sentimeter",
    "92 persen", "Rp 2,4 miliar", "$3 million"): not a count of things."""
    span = text[start:end]
    return (
        "%" in span
        or _CURRENCY.search(span) is not None
        or _CURRENCY.search(text[max(0, start - 4) : start]) is not None
        or _MEASURES.match(text, end) is not None
        or _MONEY_AFTER.match(text, end) is not None
    )


def is_money(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is an amount of money: a currency sign or name in it or right before / after it,
    or a scale word ("Rp 6,8 triliun", "$70 million", "52 million pounds", "500 juta")."""
    before = text[max(0, start - 4) : start]
    return (
        _MONEY_MARK.search(text, start, end) is not None
        or any(c in _CURRENCY_SIGNS for c in before)
        or before.casefold().rstrip().endswith("rp")
        or _MONEY_AFTER.match(text, end) is not None
    )


# A rank ("peringkat berapa …", "juara ke berapa", "what place …", "¿en qué puesto …?"): the answer is an ordinal.
_RANK_QUESTION = re.compile(
    r"(?i)\b(?:(?:peringkat|urutan|posisi|juara|ranking|rangking)\s+(?:ke\s*-?\s*)?berapa(?:kah)?|"
    r"ke\s*-?\s*berapa(?:kah)?|"
    r"(?:what|which)\s+(?:place|position|rank|ranking)|welche[nmr]?\s+(?:platz|rang|position)|"
    r"qu[eé]\s+(?:puesto|lugar|posici[oó]n))\b"
)
_ORDINAL = re.compile(
    r"(?i)\b(?:ke-?\s?\d+|kesatu|pertama|kedua|ketiga|keempat|kelima|keenam|ketujuh|kedelapan|kesembilan|"
    r"kesepuluh|\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"erste[nrms]?|zweite[nrms]?|dritte[nrms]?|vierte[nrms]?|fünfte[nrms]?|"
    r"primer[oa]?|segund[oa]|tercer[oa]?|cuart[oa]|quint[oa]|\d+\s?[ºª°])(?!\w)"
)


# A match's score ("skor persebaya lawan arema berapa", "hasil psm vs persija berapa", "what was the final score",
# "¿cuál fue el resultado del partido?"): the answer is written "3-1", "2:1", not any number of the report.
_SCORE_QUESTION = re.compile(
    r"(?i)\b(?:skor|skornya|score|endstand|endergebnis|spielstand|marcador)\b"
)
_RESULT_QUESTION = re.compile(r"(?i)\b(?:hasil|hasilnya|result|ergebnis|resultado)\b")
_MATCH_WORDS = re.compile(
    r"(?i)\b(?:vs|lawan|melawan|kontra|laga|pertandingan|partai|final|match|game|against|spiel|gegen|partido|contra)\b"
)
_SCORE_VERB = re.compile(r"(?i)\b(?:did|does|do|will)\b[^?]*\bscore\b")
_SCORE = re.compile(r"(?<![\w.,/-])(?:\d{1,2}\s?[-–]\s?\d{1,2}|\d\s?:\s?\d)(?![\w/:-]|[.,]\d)")


def asks_for_score(question: str) -> bool:
    """Whether a number question asks for a match's score (then only scores answer it)."""
    if _SCORE_QUESTION.search(question):
        return _SCORE_VERB.search(question) is None  # not "how many goals did Okonjo score"
    return _RESULT_QUESTION.search(question) is not None and _MATCH_WORDS.search(question) is not None


# A duration ("Berapa lama status tanggap darurat berlaku?", "wie lange dauert …", "¿cuánto tiempo …?"): the
# answer is a number of days, months or years, not another number of the sentence. English "how long" also asks
# for a length ("How long is the first section of the subway?").
_DURATION_QUESTION = re.compile(
    r"(?i)\b(?:(?:berapa(?:kah)?|brp)\s+lama|wie\s+lange|cu[aá]nto\s+(?:tiempo|dur[oóa]\w*))\b"
)
_HOW_LONG = re.compile(r"(?i)\bhow\s+long\b")
# Words that make "how long" a question of time ("How long did the trial last?", "… will the trip take?").
_TIME_VERBS = re.compile(
    r"(?i)\b(?:take|takes|took|taking|last|lasts|lasted|spend|spent|serve|served|wait|waited|sentenced|sentence|"
    r"prison|jail|banned|ban|closed|delayed|suspended|suspension|strike|walkout|trip|journey|ride|flight|drive|"
    r"been|ago)\b"
)
_TIME_UNITS = (
    r"hari|minggu|pekan|bulan|tahun|jam|menit|detik|dekade|abad|days?|weeks?|months?|years?|hours?|minutes?|"
    r"seconds?|decades?|centuries|century|tage?n?|wochen?|monate?n?|jahre?n?|jahrzehnte?n?|stunden?|minuten?|"
    r"sekunden?|d[ií]as?|semanas?|mes(?:es)?|años?|horas?|minutos?|segundos?|décadas?|siglos?"
)
_LENGTH_UNITS = r"km|kilomet(?:er|re)s?|meters?|metres?|miles?|feet|foot|ft|yards?|inches|cm|mm|m"
_DURATION_UNIT = re.compile(rf"(?i)[\s-]*(?:{_TIME_UNITS})\b")
_DURATION_OR_LENGTH_UNIT = re.compile(rf"(?i)[\s-]*(?:{_TIME_UNITS}|{_LENGTH_UNITS})\b")


# "Sampai kapan …?", "Until when …?" ask for the end of a period: the answer is the date written after
# "hingga"/"until", not the story's other dates (found in the news sets: "Sampai tanggal berapa penumpang
# digratiskan?" was answered by the launch date). The start of one ("mulai kapan", "seit wann") is not always
# written after "mulai"/"seit" ("Die Stromsteuer war 1999 … eingeführt worden"): not read so.
_UNTIL_QUESTION = re.compile(
    r"(?i)\b(?:(?:sampai|sampe|hingga)\s+(?:kapan|tanggal|tgl|bulan|tahun)|(?:until|till|by)\s+when|bis\s+wann|"
    r"hasta\s+cu[aá]ndo)\b"
)
_UNTIL_BEFORE = re.compile(
    r"(?i)\b(?:hingga|sampai|sampai dengan|sampe|s\.d\.?|until|till|through|thru|by|to|bis|hasta|al)\s+"
    r"(?:\w+[\s,(]+){0,2}\(?$"
)


def date_bound(question: str) -> re.Pattern[str] | None:
    """For a question asking when a period ends, what the text writes right before that date."""
    return _UNTIL_BEFORE if _UNTIL_QUESTION.search(question) else None


def _ends_with_unit(span: str, unit: re.Pattern[str]) -> bool:
    last = re.search(r"[\s-]\w+$", span)
    return last is not None and unit.fullmatch(last.group(0)) is not None


# A measure asked by its adjective ("Seberapa jauh …", "berapa luas …", "how far", "wie schwer"): the answer is
# written with a unit of that dimension, not with another number of the sentence (found in a held-out news set:
# "seberapa jauh pabrik sagu dari teminabuan" was answered "30.000 ton", "seberapa panjang antrean …" "05.30").
# "Wie hoch", "how high", "how big", "wie groß" are left out: news asks them of money as often as of size.
_LENGTH_QUESTION = re.compile(
    r"(?i)\b(?:(?:(?:se)?berapa(?:kah)?|brp)\s+(?:jauh|panjang|lebar|tinggi|jarak|kedalaman)|"
    r"how\s+(?:far|tall|deep|wide)|wie\s+(?:weit|tief|breit|lang)|a\s+qu[eé]\s+distancia|"
    r"qu[eé]\s+(?:altura|longitud|profundidad|distancia))\b"
)
# "How large/big is" a piece of land (a site, an island, a county) asks its area; of anything else it may ask
# money or a count ("how big is the contract"), so only these nouns.
_LAND = (
    r"(?:site|plot|area|land|estate|farm|park|island|county|district|region|territory|reserve|forest|field|"
    r"concession|lake|zone|campus|property)"
)
_AREA_QUESTION = re.compile(
    r"(?i)\b(?:(?:se)?berapa(?:kah)?|brp)\s+luas\b|\bqu[eé]\s+superficie\b|"
    rf"\bhow\s+(?:large|big)\s+(?:is|was|will\s+be|are|were)\s+(?:the\s+|an?\s+)?(?:[\w'’-]+\s+){{0,3}}?{_LAND}s?\b"
)
_WEIGHT_QUESTION = re.compile(
    r"(?i)\b(?:(?:(?:se)?berapa(?:kah)?|brp)\s+berat|how\s+heavy|wie\s+schwer|cu[aá]nto\s+pesa\w*)\b"
)
_TEMPERATURE_QUESTION = re.compile(
    r"(?i)\b(?:(?:se)?berapa(?:kah)?|brp)\s+suhu\b|\bsuhu\b.*\bberapa\b|\bwhat\s+(?:(?:is|was|were)\s+the\s+)?temperature|"
    r"\bhow\s+(?:hot|cold|warm)\b|\bwie\s+(?:hei(?:ß|ss)|warm|kalt)\b|\bwelche\s+temperatur|"
    r"\bqu[eé]\s+temperatura\b|\bqu[eé]\s+tan\s+(?:caliente|fr[ií]o)\b"
)
# "How fast …?", "What is the top speed …?", "seberapa cepat …", "Wie schnell …?", "¿A qué velocidad …?": a speed
# (found in the news sets: "How fast do the drones fly?" was answered "150 metres", the height they fly below).
_SPEED_QUESTION = re.compile(
    r"(?i)\b(?:how\s+fast|(?:what|which)\s+(?:(?:is|was)\s+the\s+)?(?:top\s+|maximum\s+|average\s+)?speed|"
    r"top\s+speed|at\s+what\s+speed|(?:(?:se)?berapa(?:kah)?|brp)\s+(?:cepat|kencang|kecepatan)|"
    r"kecepatan\s+(?:maksimal|maksimum|rata-rata|tertinggi)|wie\s+schnell|h[öo]chstgeschwindigkeit|"
    r"qu[eé]\s+tan\s+r[aá]pid[oa]|a\s+qu[eé]\s+velocidad|velocidad\s+m[aá]xima)\b"
)
_SPEED_UNIT = re.compile(
    r"(?i)[\s-]*(?:(?:km|kilomet(?:er|re)s?|kilometern|kil[oó]metros?|miles?|meters?|metres?|metern|metros?|m)"
    r"\s*(?:/|per|an|a|pro|por|la)\s*(?:h|hr|hour|jam|stunde|hora|s|sec|second|detik|sekunde|segundo)|"
    r"km/h|kph|kmh|mph|knots?|knot|nudos?|stundenkilomet(?:er|ern))\b"
)
_LENGTH_UNIT = re.compile(
    rf"(?i)[\s-]*(?:{_LENGTH_UNITS}|kaki|mdpl|sentimeter|milimeter|kilómetros?|metros?|cent[ií]metros?|millas?|"
    r"pies|meilen|zentimeter)\b"
)
_AREA_UNIT = re.compile(
    r"(?i)[\s-]*(?:hektare?|ha|hectares?|hect[aá]reas?|acres?|km2|km²|m2|m²|"
    r"(?:meter|kilometer)\s+persegi|square\s+(?:kilomet(?:er|re)s?|met(?:er|re)s?|miles|feet)|"
    r"quadrat(?:kilo)?meter|(?:kil[oó])?metros\s+cuadrados)(?!\w)"
)
_WEIGHT_UNIT = re.compile(
    r"(?i)[\s-]*(?:kg|kilograms?|kilogramos?|kilogramm|grams?|gramos?|gramm|ton|tons|tonnes?|toneladas?|tonnen|"
    r"pounds?|lbs?|kuintal|kwintal)\b"
)
_TEMPERATURE_UNIT = re.compile(r"(?i)[\s-]*(?:derajat|degrees?|grad|grados?|°)")


def duration_unit(question: str) -> re.Pattern[str] | None:
    """For a question asking how long — or how fast, how far, how large an area, how heavy, how hot — the units
    its answer is written with (matched right after a number); None for any other question."""
    if _DURATION_QUESTION.search(question):
        return _DURATION_UNIT
    if _HOW_LONG.search(question):
        return _DURATION_UNIT if _TIME_VERBS.search(question) else _DURATION_OR_LENGTH_UNIT
    for asked, unit in (
        (_SPEED_QUESTION, _SPEED_UNIT),
        (_LENGTH_QUESTION, _LENGTH_UNIT),
        (_AREA_QUESTION, _AREA_UNIT),
        (_WEIGHT_QUESTION, _WEIGHT_UNIT),
        (_TEMPERATURE_QUESTION, _TEMPERATURE_UNIT),
    ):
        if asked.search(question):
            return unit
    return None


def asks_for_rank(question: str) -> bool:
    """Whether the question asks for a place in a ranking (then only ordinals answer it)."""
    return _RANK_QUESTION.search(question) is not None


_PERCENT_TAIL = re.compile(r"(?i)\s?(?:persen|percent|prozent|por ciento)")


# Words that end an English title written before a name ("Chief Operating Officer Maria Lindqvist", "Nueces
# County Judge Marisol Trevino"): the person is the name after it (found in an English user's review).
_TITLE_ENDS = frozenset(
    "officer executive judge secretary director minister coach manager president chairman chairwoman governor "
    "mayor spokesman spokeswoman spokesperson commissioner ambassador senator chief captain".split()
)


# The last word of a company's or club's name ("Kestrel Air", "Harbor Lane Retail"): when the question names the
# rest, it is no person (found in an English user's review: "who is the new kestrel ceo" -> "Air").
_ORG_TAILS = frozenset(
    "air airlines airways group bank inc corp co ltd plc llc motors foods retail semiconductor energy holdings "
    "partners capital media systems technologies labs united city fc club university council committee company "
    "tbk persero grup".split()
)


def _after_title(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A person's name without the title written before it, when at least two words of name are left."""
    words = list(_WORD_RE.finditer(text, span[0], span[1]))
    last = max((i for i, w in enumerate(words) if w.group(0).casefold() in _TITLE_ENDS), default=-1)
    if last < 1 or len(words) - last - 1 < 2:  # a title of one word is often a rank that is part of the name
        return span  # ("Mayor Laut Wirahadi AW", a navy rank)
    if not words[last + 1].group(0)[:1].isupper():
        return span  # the title goes on: "Minister of Science and Technology Tran Quoc Hung"
    return words[last + 1].start(), span[1]


# "Heru Santoso (61)", "Hajjah Rosmiati (49)": news writes a person's age in brackets after the name; that number
# answers how old someone is, not how many or how much (found in the news sets: "Berapa orang yang belum
# ditemukan?" was answered with the captain's age, "heru santoso rugi brp?" with his).
_ASKS_AGE = _AGE_WORDS | frozenset("umurnya usianya aged alter jährige jährigen".split())
_AGE_AFTER_NAME = re.compile(r".*[A-Z][\w.'’-]*\s\(\d{1,3}\)$", re.S)


_AGE_WORD_BEFORE = re.compile(r"(?i)\b(?:berusia|berumur|usia|umur|aged|age(?: of)?|edad de|alter von)\s*$")
_YEARS_AFTER = re.compile(r"(?i)\s*-?\s*(?:tahun|years?\b|year-old|años|jahre|jährige)")
_NAME_COMMA_BEFORE = re.compile(r"[A-Z][\w.'’-]*,\s*$")


def written_as_age(region: str, s: int, e: int) -> bool:
    """Whether region[s:e] is written as someone's age: "(47)" after a name, "berusia 71 tahun", "aged 67",
    "71 tahun", "Pat Morrissey, 67,"."""
    if _AGE_AFTER_NAME.match(region, max(0, s - 40), e + 1) or _YEARS_AFTER.match(region, e):
        return True
    if _AGE_WORD_BEFORE.search(region, max(0, s - 12), s):
        return True
    return region[e : e + 1] == "," and _NAME_COMMA_BEFORE.search(region, max(0, s - 40), s) is not None


def typed_candidates(
    text: str, start: int, end: int, atype: AnswerType, q_surface: frozenset[str], money: bool = False,
    rank: bool = False, count: str | None = None, score: bool = False, duration: re.Pattern[str] | None = None,
    bound: re.Pattern[str] | None = None, age: bool = False,
) -> list[tuple[int, int]]:
    """Spans of text[start:end] that could answer a question of type `atype`, minus question words (`money`: of a
    number question, only amounts of money; `rank`: only ordinals, "ketiga", "3rd", "ke-3"; `count`: the noun a
    how-many question counts, then no number written with a measure, a percent or a currency; `age`: the numbers
    written as ages, when there are any)."""
    if rank and atype is AnswerType.NUMBER:
        return [(start + m.start(), start + m.end()) for m in _ORDINAL.finditer(text[start:end])]
    if score and atype is AnswerType.NUMBER:
        return [(start + m.start(), start + m.end()) for m in _SCORE.finditer(text[start:end])]
    if bound is not None and atype is AnswerType.DATE:
        dates = typed_candidates(text, start, end, atype, q_surface)
        return [(s, e) for s, e in dates if bound.search(text, max(start, s - 30), s)]
    if duration is not None and atype is AnswerType.NUMBER:
        out = []
        for s, e in typed_candidates(text, start, end, atype, q_surface):
            unit = duration.match(text, e)
            if unit is not None:  # the span takes its unit along ("110 km per hour", not "110 km")
                out.append((s, min(unit.end(), end)))
            elif _ends_with_unit(text[s:e], duration):  # "1.2 miles" ("miles" is also a Spanish scale word)
                out.append((s, e))
        return out
    if money and atype is AnswerType.NUMBER:
        return [(s, e) for s, e in typed_candidates(text, start, end, atype, q_surface) if is_money(text, s, e)]
    if count and atype is AnswerType.NUMBER:
        return [(s, e) for s, e in typed_candidates(text, start, end, atype, q_surface) if not is_measure(text, s, e)]
    region = text[start:end]
    out: list[tuple[int, int]] = []

    def add(s: int, e: int, trailing: bool = True) -> None:
        trimmed = _strip_question_words(text, start + s, start + e, q_surface, trailing)
        if trimmed and trimmed[0] > start + s and text[trimmed[0] - 1] in _CURRENCY_SIGNS:
            trimmed = (trimmed[0] - 1, trimmed[1])  # "€50,000": the sign is not a word character, keep it
            prefix = _CURRENCY_PREFIX.match(text, start + s, trimmed[0])
            if prefix is not None and prefix.end() == trimmed[0]:
                trimmed = (start + s, trimmed[1])  # "A$95" although the question says "a"
        if trimmed and trimmed[1] < start + e and text[trimmed[1]] == "%":
            trimmed = (trimmed[0], trimmed[1] + 1)  # "2.2%", likewise
        elif trimmed and _PERCENT_TAIL.fullmatch(text, trimmed[1], start + e):
            trimmed = (trimmed[0], start + e)  # "94,8 persen" for "Berapa persen …?": the word is the "%"
        if atype is AnswerType.PERSON and trimmed:
            if trimmed[0] > start + s and text[trimmed[0] : trimmed[1]].casefold() in _ORG_TAILS:
                return  # "Air" of "Kestrel Air" for "who is the new kestrel ceo": the rest of a company's name
            trimmed = _after_title(text, trimmed)
            if names_a_place(text, text[trimmed[0] : trimmed[1]]) or _has_article(text[trimmed[0] : trimmed[1]]):
                return
        if trimmed and trimmed not in out:
            out.append(trimmed)

    if atype in (AnswerType.DATE, AnswerType.NUMBER):
        found: list[tuple[int, int]] = []
        if atype is AnswerType.DATE:
            for m in _dates(region):
                token = m.group(0)
                if not token.isdigit() or _YEARISH.match(token) or _YEAR_WORD.search(region, max(0, m.start() - 8), m.start()):
                    found.append((m.start(), m.end()))
            if not found:  # "erupted on Sunday": a weekday answers when nothing more exact is written
                found = _weekdays(region)
        else:
            # A day or month inside a date is not a quantity ("16" of "16 May 2025", "20" of "(20/3/2025)").
            dates = [(m.start(), m.end()) for m in _dates(region) if _DATE_PARTS.search(m.group(0))]
            ages = _ASKS_AGE.isdisjoint(q_surface)  # a name's age in brackets answers only an age question
            for m in _numbers(region):
                token = m.group(0).strip()
                if token and not _YEARISH.match(token) and not any(a <= m.start() < b for a, b in dates):
                    if ages and _AGE_AFTER_NAME.match(region, max(0, m.start() - 40), m.end() + 1):
                        continue  # "Nakhoda …, Ridwan Tuasikal (47), hingga kini belum ditemukan": no count
                    found.append((m.start(), m.end()))
            if age:  # "Berapa umur …?": the numbers written as ages, when the window has any
                found = [sp for sp in found if written_as_age(region, *sp)] or found
        for (s1, e1), (s2, e2) in zip(found, found[1:], strict=False):
            if is_percent(region[s1:e1]) != is_percent(region[s2:e2]):
                continue  # "slipped 1.8% to £3.27bn": a change and a level, no range
            gap = region[e1:s2]
            unit = _UNIT_AFTER.match(gap)  # "9 bulan hingga 15 tahun"
            if _RANGE_JOIN.fullmatch(gap[unit.end() :] if unit else gap):  # "30 to 50 thousand", "1870–1939"
                add(s1, e2)
        for s1, e1 in found:
            add(s1, e1)
    elif atype in (AnswerType.PERSON, AnswerType.PLACE, AnswerType.NAME):
        for m in _NAME_RE.finditer(region):
            found, pos = m.group(0), 0
            for stop in [*_SENTENCE_END.finditer(found), None]:  # "Florida. Newcastle": two names
                end = stop.start() if stop else len(found)
                span = _name_span(text, start, m.start() + pos, found[pos:end], atype, q_surface)
                if span is not None:
                    add(*span, trailing=False)
                pos = stop.end() if stop else end
        if atype is AnswerType.PLACE:
            # "in nursing homes", "di rumah sakit": places are not always names
            for m in _PLACE_PHRASE.finditer(region):
                add(m.start(1), m.end(1))
    return out


# A place preposition, then up to four words that end at punctuation or a conjunction / relative pronoun.
_PLACE_PHRASE = re.compile(
    r"(?i)\b(?:in|at|inside|within|near|di|ke|dalam|im|in der|in den|en|en el|en la)\s+"
    r"((?:the\s+|der\s+|die\s+|el\s+|la\s+)?[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){0,3}?)"
    r"(?=[,.;:()]|$|\s+(?:and|but|which|that|where|yang|dan|und|y|que)\b)"
)


# A currency written as letters before an amount ("Rp 25 juta", "RM 30", "EUR 12", "US$ 5"): no name.
_CURRENCY_CODE = re.compile(r"(?i)rp|usd|idr|eur|gbp|rm|hkd|sgd|aud|cad|chf|jpy|cny|inr|myr")
_DOLLAR_PREFIX = re.compile(r"(?i)us|hk|sg|nz|a|s")  # "US$", "HK$": only with the sign
_AMOUNT_AFTER = re.compile(r"\.?\s?\d")
_DOLLAR_AMOUNT_AFTER = re.compile(r"\$\s?\d")
_SENTENCE_END = re.compile(r"(?<=[^\W\d_]{3})\.\s+(?=\S)")  # "Florida. Newcastle": a name ends at a full stop
_MONTH_START = re.compile(rf"(?i)(?:{_MONTHS})\.?\s+\d")
_DATE_THEN_NAME = re.compile(rf"(?i:{_MONTHS})\.?\s+\d[\d.,]*\s+(?i:dan|and|und|y|atau|or)\s+(?=[A-Z])")
_TRAILING_NUMBER = re.compile(r"(?:\s+\d[\w-]*)+$")
_FIRST_WORD = re.compile(r"\S+\s+")
_LEADING_NUMBERS = re.compile(r"(?:\d[\d.,]*(?:\s+|$))+")
# Words that open sentences without being names, beyond the stop words.
_OPENERS = frozenset(
    "despite however following nearby meanwhile also although thus hence today yesterday later earlier "
    "trotz dennoch auch heute später namun meskipun sementara kemudian selain sin embargo además hoy luego "
    "according menurut berdasarkan adapun sedangkan menjelang seusai usai terkait según".split()
)
_COMMON = frozenset().union(*STOP_WORDS.values(), *QUESTION_WORDS.values(), _OPENERS)
# Not persons: a weekday or month on its own ("ujar OpenAI …, Jumat (23/5)"), or a name right after a place
# preposition ("di Munich", "in Berlin", "en Madrid").
_NOT_PERSON = re.compile(
    rf"(?i)(?:senin|selasa|rabu|kamis|jumat|sabtu|minggu|monday|tuesday|wednesday|thursday|friday|saturday|"
    rf"sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lunes|martes|miércoles|miercoles|"
    rf"jueves|viernes|sábado|sabado|domingo|{_MONTHS})"
)
_PLACE_BEFORE = re.compile(r"(?i)\b(?:di|ke|in|at|im|en)\s+$")


def is_weekday_or_month(word: str) -> bool:
    """"Jumat", "May", "Dezember", "sept": a day or month name (or its abbreviation) in one of our languages."""
    return _NOT_PERSON.fullmatch(word) is not None


# A name made an adjective: "Jakarta-based", "London-born", "Sequoia-backed" (found in review: "Who founded Volta
# Motors?" was answered "Jakarta-based").
_NAME_ADJECTIVE = re.compile(
    r"-(?:based|born|bred|led|owned|run|backed|funded|made|built|style|era|bound|listed|registered|headquartered|"
    r"area|region)$"
)


def _is_currency(text: str, at: int, letters: str) -> bool:
    """Whether `letters`, written at text[at], is a currency's code or prefix before an amount."""
    after = at + len(letters)
    return bool(
        (_CURRENCY_CODE.fullmatch(letters) and _AMOUNT_AFTER.match(text, after))
        or (_DOLLAR_PREFIX.fullmatch(letters) and _DOLLAR_AMOUNT_AFTER.match(text, after))
    )


def _name_span(
    text: str, start: int, s: int, token: str, atype: AnswerType, q_surface: frozenset[str]
) -> tuple[int, int] | None:
    """The name inside `token` (found at region offset `s`), as region offsets, or None when it is no name."""
    token = token.rstrip(".")
    if token.endswith(("'s", "’s")):  # "Manning's" -> "Manning"
        token = token[:-2]
    if _MONTH_START.match(token):  # "May 1756", "March 2023": a date, no person, place or name; "Februari 2005 dan X"
        rest = _DATE_THEN_NAME.match(token)
        if rest is None:
            return None
        s, token = s + rest.end(), token[rest.end() :]
    if atype is not AnswerType.NAME:
        token = _TRAILING_NUMBER.sub("", token)  # "Panthers 4": a score ("Boeing 737" is a name)
    if _is_currency(text, start + s, _TRAILING_NUMBER.sub("", token)):
        return None  # "Rp 25 juta", "US$ 5 million": an amount of money, not who, where or which
    adjective = _NAME_ADJECTIVE.search(token)
    if adjective is not None:  # "Jakarta-based startup": a place for "where", nobody for "who"
        if atype is AnswerType.PERSON:
            return None
        token = token[: adjective.start()]
    e = s + len(token)
    words = _words(token)
    if not words or all(w in q_surface for w in words):
        return None
    if atype is AnswerType.PERSON and (
        _NOT_PERSON.fullmatch(token) or _PLACE_BEFORE.search(text, max(0, start + s - 4), start + s)
    ):
        return None
    if atype is AnswerType.PLACE and _NOT_PERSON.fullmatch(token):  # "Wednesday" is not a city either
        return None
    if _sentence_initial(text, start + s, start) and _common_word(text, token.split()[0]):
        # "Despite Manning" -> "Manning"; a lone common word is just a sentence start
        rest = _FIRST_WORD.match(token)
        if rest is None or rest.end() >= len(token):
            return None
        s += rest.end()
        token = token[rest.end() :]
        # "In 1891 Scottish …" -> "Scottish": a name does not start with a number the opener left behind
        lead = _LEADING_NUMBERS.match(token)
        if lead:
            if lead.end() >= len(token):
                return None
            s += lead.end()
    return s, e


# A name that starts with one of these words is a place, or the text writes it after one of the markers
# (found in the news sets: "siapa kadis pupr kalsel" was answered "Kalimantan Selatan", "Siapa yang menggugat
# hasil pilkades Sukamaju?" "Kecamatan Cibungbulang").
_PLACE_HEADS = frozenset(
    "kecamatan kabupaten kota desa dusun kelurahan provinsi jalan pulau gunung sungai danau selat teluk pelabuhan "
    "bandara stadion stasiun ruas county lake mount river street avenue road airport landkreis gemeinde "
    "municipio provincia calle avenida aeropuerto".split()
)
_PLACE_MARKERS = ("di", "ke", "provinsi", "kabupaten", "kota", "kecamatan", "desa", "kelurahan", "dusun", "pulau",
                  "wilayah", "in", "near", "im")


@lru_cache(maxsize=64)
def _folded(text: str) -> str:
    return text.casefold()


def names_a_place(text: str, name: str) -> bool:
    """Whether `name` is a place: it opens with a place word ("Kecamatan Cibungbulang"), or `text` writes it after
    a place marker somewhere ("di Kalimantan Selatan", "Provinsi Kalimantan Selatan"; "Wali Kota Eri Cahyadi" is
    a mayor)."""
    words = name.split()
    if not words:
        return False
    if words[0].casefold().rstrip(".,") in _PLACE_HEADS:
        return True
    folded, n = _folded(text), name.casefold()
    if len(folded) != len(text):
        return False
    if _after_a_place(folded, n):
        return True
    for marker in _PLACE_MARKERS:
        needle = f"{marker} {n}"
        i = folded.find(needle)
        while i >= 0:
            j = i + len(needle)
            if (i == 0 or not folded[i - 1].isalnum()) and (j >= len(folded) or not folded[j].isalnum()):
                if not (marker == "kota" and folded[max(0, i - 5) : i] == "wali "):
                    return True
            i = folded.find(needle, i + 1)
    return False


# German articles, which a run of capitalised words joins only when it is nouns ("Mittwochabend den Haushalt"),
# not a person's name, unless after a name particle ("van den Berg", "von der Leyen").
_GERMAN_ARTICLES = frozenset("der die das den dem des".split())
_NAME_PARTICLES = frozenset("von van de di da del vom zu".split())


def _has_article(name: str) -> bool:
    """Whether a candidate name has a German article inside it that no name particle leads."""
    words = name.split()
    return any(
        w in _GERMAN_ARTICLES and words[i - 1].casefold() not in _NAME_PARTICLES for i, w in enumerate(words) if i
    )


def _after_a_place(folded: str, n: str) -> bool:
    """Whether the casefolded text writes the casefolded name as the next link of an address: after a link that
    opens with a place word, itself after a comma ("Desa Sukamaju, Kabupaten Bogor, Jawa Barat"; not "Kepala BPBD
    Kota Semarang, Hendra Wibisono": the link before the name there is a post)."""
    needle = f", {n}"
    i = folded.find(needle)
    while i >= 0:
        j = i + len(needle)
        if j >= len(folded) or not folded[j].isalnum():
            k = max(folded.rfind(c, 0, i) for c in ",.;:()\n")
            link = folded[k + 1 : i].split()
            if k >= 0 and folded[k] == "," and 1 < len(link) <= 4 and link[0] in _PLACE_HEADS:
                return True
        i = folded.find(needle, i + 1)
    return False


def _common_word(text: str, word: str) -> bool:
    """A capitalised word that is really a common word: a stop word or opener, or seen lowercase in `text`."""
    w = word.casefold().strip(".,;:'’\"")
    if w in _COMMON:
        return True
    return occurs_as_word(text, w)


def _is_word_char(c: str) -> bool:
    r"""`re`'s `\w` for one character of a str pattern."""
    return c.isalnum() or c == "_"


def occurs_as_word(text: str, w: str) -> bool:
    r"""`re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text) is not None` without compiling a pattern per word
    (hundreds of new words per question overflowed `re`'s cache of 512 patterns, and every compile cost more
    than the search)."""
    if not w:
        return re.search(r"(?<!\w)(?!\w)", text) is not None
    n, i = len(w), text.find(w)
    while i != -1:
        if (i == 0 or not _is_word_char(text[i - 1])) and (i + n >= len(text) or not _is_word_char(text[i + n])):
            return True
        i = text.find(w, i + 1)
    return False


# --- why-questions -------------------------------------------------------------------------------------------

# A question for a reason or a cause: "mengapa …", "apa penyebab …", "… gara-gara apa?", "what caused …".
_WHY = re.compile(
    r"(?i)\b(?:mengapa|kenapa|why|warum|wieso|weshalb|weswegen|por\s*qu[eé]|(?:gara[-\s]?gara|gara2|karena)\s+apa\b|"
    r"^\s*apa(?:kah)?\s+(?:yang\s+(?:menjadi\s+)?)?penyebab|penyebab(?:nya)?\b[^?]*\bapa\s*\??\s*$|"
    r"what\s+caused|what\s+(?:is|was|were)\s+the\s+(?:causes?|reasons?)\b)"
)
# Words that open a reason or a purpose; the short answer is the clause they open ("because of their disastrous
# financial situation", "karena hujan deras sejak Senin"). Longer forms first.
_REASON = re.compile(
    r"(?i)\b(?:disebabkan\s+oleh|disebabkan|dipicu\s+oleh|dipicu|karena|lantaran|sebab|akibat|agar|supaya|untuk|"
    r"because\s+of|because|due\s+to|owing\s+to|as\s+a\s+result\s+of|in\s+order\s+to|so\s+that|"
    r"on\s+the\s+grounds\s+that|caused\s+by|triggered\s+by|"
    r"weil|denn|wegen|aufgrund|damit|um|verursacht\s+durch|ausgelöst\s+durch|"
    r"porque|debido\s+a|a\s+causa\s+de|ya\s+que|puesto\s+que|para|causad[oa]\s+por|provocad[oa]\s+por)\s+"
)
_CLAUSE_END = re.compile(r"[,;:.!?()\"“”]|\s[-–—]\s")
MAX_REASON_WORDS = 15


# A yes/no question: the answer is the sentence itself ("Tidak ada korban jiwa …"), no span of it. Found in an
# Indonesian user's review: "ada korban jiwa ga di kebakaran bandung?" had "kejadian" in bold. ("Apakah nama …"
# asks "what" in written Indonesian, so "apakah" alone does not count.)
_YES_NO_EN = re.compile(
    r"(?i)^\s*(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\s+"
    r"(?!.*\b(?:what|who|whom|whose|which|when|where|why|how)\b)"
)
_YES_NO_ID = re.compile(
    r"(?i)^\s*(?:apakah|apa)\s+(?:ada|sudah|benar|betul|masih|pernah)\b|"
    r"^\s*(?:ada|sudah|udah)\b.*\b(?:ga|gak|nggak|enggak|ngga|tidak|belum)\b"
)


def is_yes_no_question(question: str, lang: str | None) -> bool:
    """Is / did / apakah ada / "ada … ga?" (English and Indonesian; German "Was …" asks "what"): answered by the
    sentence, with no short answer."""
    pattern = {"en": _YES_NO_EN, "id": _YES_NO_ID}.get(lang or "")
    return pattern is not None and pattern.search(question) is not None


@lru_cache(maxsize=256)  # asked twice a question (window features, then the short answer)
def is_why_question(question: str) -> bool:
    """Mengapa / why / warum / por qué: the answer is a reason, not a name or number."""
    return _WHY.search(question) is not None


def reason_span(text: str, start: int, end: int, q_surface: frozenset[str]) -> tuple[int, int] | None:
    """The clause a reason or purpose word opens inside text[start:end] ("… because of their disastrous
    financial situation."), up to the clause's end or MAX_REASON_WORDS words; None when the text gives none."""
    for m in _REASON.finditer(text, start, end):
        if m.group(0).split()[0].casefold() in q_surface:  # the question's own "untuk", "for …"
            continue
        stop = _CLAUSE_END.search(text, m.end(), end)
        clause_end = stop.start() if stop else end
        words = list(_WORD_RE.finditer(text, m.end(), clause_end))
        if not words:
            continue
        return m.end(), words[min(len(words), MAX_REASON_WORDS) - 1].end()
    return None


# --- definition questions ------------------------------------------------------------------------------------

# "Apa itu API?", "Apakah RDF itu?", "Apa yang dimaksud dengan inflasi inti?", "What is RDF?": the answer is the
# sentence that says what it is ("API sendiri adalah antarmuka …"), cut after its copula. Found in an Indonesian
# user's review: "apa itu API?" was answered from a sentence that only mentions APIs.
_DEFINITION_Q = re.compile(
    r"(?i)^\s*(?:apa(?:kah)?\s+itu\s+(?P<a>.+?)|apa(?:kah)?\s+(?P<b>.+?)\s+itu|"
    r"apa(?:kah)?\s+yang\s+dimaksud\s+(?:dengan\s+)?(?P<c>.+?)|what\s+(?:is|are)\s+(?:an?\s+)?(?P<d>(?!the\b).+?)|"
    r"was\s+(?:ist|sind)\s+(?:ein(?:e)?\s+)?(?P<e>(?!der\b|die\b|das\b).+?)|"
    r"qu[eé]\s+(?:es|son)\s+(?:un[ao]?\s+)?(?P<f>(?!el\b|la\b|los\b|las\b).+?))\s*[?.!]*\s*$"
)
_DEFINITION_MAX_WORDS = 3
_COPULA = re.compile(
    r"(?i)\s*(?:sendiri\s+|itu\s+|,\s*)?(?:adalah|ialah|merupakan|yaitu|yakni|is|are|refers\s+to|means|"
    r"ist|sind|bezeichnet|es|son|significa)\s+"
)


def definition_subject(question: str) -> str | None:
    """The thing a what-is question asks to define ("api" for "Apa itu API?"), casefolded; None for other
    questions and for subjects of more than a few words ("what is the population of …" is no definition)."""
    m = _DEFINITION_Q.match(question)
    if m is None:
        return None
    subject = next(g for g in m.groups() if g)
    words = subject.split()
    return subject.casefold() if 0 < len(words) <= _DEFINITION_MAX_WORDS else None


def definition_span(text: str, start: int, end: int, subject: str) -> tuple[int, int] | None:
    """What text[start:end] says the subject is: the clause after "<subject> adalah/is …", or None."""
    low = text.casefold()
    i = low.find(subject, start, end)
    while i != -1:
        after = i + len(subject)
        if (i == 0 or not _is_word_char(text[i - 1])) and (after >= len(text) or not _is_word_char(text[after])):
            m = _COPULA.match(text, after, end)
            if m is not None:
                stop = _CLAUSE_END.search(text, m.end(), end)
                clause_end = stop.start() if stop else end
                words = list(_WORD_RE.finditer(text, m.end(), clause_end))
                if words:
                    return m.end(), words[min(len(words), MAX_REASON_WORDS) - 1].end()
        i = low.find(subject, i + 1, end)
    return None
