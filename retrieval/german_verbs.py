"""German strong and mixed verbs: past forms and participles -> the infinitive, before stemming.

Snowball strips endings only, so "geschlossen", "schloss" and "schließen" are three terms ("Wann werden Fords
Werke geschlossen?" did not meet "… werden im Oktober 2016 schließen"), and "sang" is not "singen". English has the
same table (`retrieval.text.IRREGULAR_EN`). Prefixed verbs are read through their base verb: an inseparable prefix
before a past form or a participle without "ge" ("entschied", "beschlossen", "übernommen"), a separable one before
a participle with "ge" or a past form ("teilgenommen", "stattfand"). Forms that are also common nouns are left
out ("stand" Stand, "schloss" Schloss, "band" Band, "griff" Griff, "trieb" Trieb, "schnitt" Schnitt, "lag" in
"Verlag"), and so are verbs whose forms are mostly other words ("genossen", "gebot", "wiesen" meadows).
"""

from __future__ import annotations

from retrieval.text import fold_word

# infinitive, past (3rd person singular), participle; "-" where a form is left out (a common noun).
_STRONG = """
befehlen befahl befohlen|beginnen begann begonnen|beißen biss gebissen|bergen barg geborgen|
betrügen betrog betrogen|biegen bog gebogen|bieten bot geboten|binden - gebunden|bitten bat gebeten|
blasen blies geblasen|bleiben blieb geblieben|braten briet gebraten|brechen brach gebrochen|
brennen brannte gebrannt|bringen brachte gebracht|denken dachte gedacht|dringen drang gedrungen|
empfehlen empfahl empfohlen|erschrecken erschrak erschrocken|essen aß gegessen|fahren fuhr gefahren|
fallen fiel gefallen|fangen fing gefangen|finden fand gefunden|fliegen flog geflogen|fliehen floh geflohen|
fließen floss geflossen|frieren fror gefroren|geben gab gegeben|gehen ging gegangen|gelingen gelang gelungen|
gelten galt gegolten|geschehen geschah geschehen|gewinnen gewann gewonnen|gießen goss gegossen|
gleichen glich geglichen|graben grub gegraben|greifen - gegriffen|halten hielt gehalten|hängen hing gehangen|
heben hob gehoben|heißen hieß geheißen|helfen half geholfen|kennen kannte gekannt|klingen - geklungen|
kommen kam gekommen|kriechen kroch gekrochen|laden lud geladen|lassen ließ gelassen|laufen lief gelaufen|
leiden litt gelitten|leihen lieh geliehen|lesen las gelesen|liegen - gelegen|lügen log gelogen|
meiden mied gemieden|messen - gemessen|nehmen nahm genommen|nennen nannte genannt|
reißen - gerissen|rennen rannte gerannt|riechen roch gerochen|rufen rief gerufen|schaffen schuf geschaffen|
scheiden schied geschieden|scheinen schien geschienen|schieben schob geschoben|schießen - geschossen|
schlafen schlief geschlafen|schlagen schlug geschlagen|schließen - geschlossen|schmelzen schmolz geschmolzen|
schneiden - geschnitten|schreiben schrieb geschrieben|schreien schrie geschrien|schreiten - geschritten|
schweigen schwieg geschwiegen|schwören schwor geschworen|sehen sah gesehen|senden sandte gesandt|
singen sang gesungen|sinken sank gesunken|sitzen saß gesessen|sprechen sprach gesprochen|
springen sprang gesprungen|stechen stach gestochen|stehen - gestanden|stehlen - gestohlen|steigen stieg gestiegen|
sterben starb gestorben|stoßen stieß gestoßen|streiten stritt gestritten|tragen trug getragen|
treffen traf getroffen|treiben - getrieben|treten trat getreten|trinken - getrunken|vergessen vergaß vergessen|
verlieren verlor verloren|verschwinden verschwand verschwunden|wachsen - gewachsen|waschen wusch gewaschen|
weisen wies gewiesen|wenden wandte gewandt|werben warb geworben|werfen warf geworfen|wiegen wog gewogen|
wissen wusste gewusst|ziehen zog gezogen|zwingen - gezwungen|
entstehen entstand entstanden|bestehen bestand bestanden|beschließen beschloss beschlossen|
"""

# Words that read otherwise: past plurals that are nouns ("Sprachen", "Wiesen", "Schienen", "Bogen") or another
# verb ("gelangen"), and prefixed forms that are words of their own: "vergangenen" is "last" (not "Vergehen", an
# offence), "bekannt" known, "bewusst" aware, "verschieden" different, "Verdacht" suspicion, "Betrug" fraud,
# "Verwandte" relatives, "Abschied" a farewell.
_NOT_FORMS = frozenset(
    "sprachen wiesen schienen gelangen bogen gruben boten bissen flossen rochen wogen gaben betrug verdacht "
    "bekannt bekannte bewusst bewusste verwandt verwandte abschied abschiede abschieds "
    "vergangen vergangene vergangenen vergangener vergangenes vergangenem "
    "verschieden verschiedene verschiedenen verschiedener verschiedenes verschiedenem".split()
)
# A participle core that is another verb's infinitive: "belegen", "verlegen", "überlegen" are not "liegen".
_NOT_CORES = frozenset(("legen",))
_INSEPARABLE = ("be", "emp", "ent", "er", "miss", "ver", "zer", "über", "unter", "wider", "hinter")
_SEPARABLE = (
    "ab", "an", "auf", "aus", "bei", "ein", "fest", "fort", "frei", "her", "hin", "hinzu", "los", "mit", "nach",
    "statt", "teil", "vor", "voran", "weg", "weiter", "zu", "zurück", "zusammen", "um", "durch", "heraus",
    "herein", "hervor", "heran", "hinaus", "hinweg",
)
# Endings of a participle used as an adjective ("die geschlossenen Werke", "gewonnene Spiele").
_ADJECTIVE_ENDINGS = ("em", "en", "er", "es", "e")


def _tables() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(form -> infinitive for the bare forms, past form -> infinitive, participle core -> infinitive)."""
    bare: dict[str, str] = {}
    past: dict[str, str] = {}
    core: dict[str, str] = {}
    for entry in fold_word(_STRONG.casefold()).replace("\n", "").split("|"):
        if not entry.strip():
            continue
        inf, pret, part = entry.split()
        if pret != "-":
            plural = pret + ("n" if pret.endswith("e") else "en")
            for form in (pret, plural):
                bare[form] = inf
            past[pret] = inf
        bare[part] = inf
        if part.startswith("ge") and len(part) - 2 >= 4:
            core[part[2:]] = inf
    return bare, past, core


_BARE, _PAST, _CORE = _tables()
_NOT_FORMS = frozenset(map(fold_word, _NOT_FORMS))
_INSEPARABLE = tuple(map(fold_word, _INSEPARABLE))
_SEPARABLE = tuple(map(fold_word, _SEPARABLE))


def _prefixed(word: str) -> str | None:
    """The infinitive of a prefixed form ("entschied" -> "entscheiden", "teilgenommen" -> "teilnehmen")."""
    for prefix in _INSEPARABLE:
        if word.startswith(prefix):
            rest = word[len(prefix) :]
            inf = _PAST.get(rest) or (_CORE.get(rest) if rest not in _NOT_CORES else None)
            if inf is not None:
                return prefix + inf
    for prefix in _SEPARABLE:
        if word.startswith(prefix):
            rest = word[len(prefix) :]
            inf = _PAST.get(rest) or (_CORE.get(rest[2:]) if rest.startswith("ge") else None)
            if inf is not None:
                return prefix + inf
    return None


def german_infinitive(word: str) -> str:
    """The infinitive of a strong verb form (a folded word, as `retrieval.text` analyses it), or the word itself."""
    if word in _NOT_FORMS or len(word) < 3:
        return word
    inf = _BARE.get(word)
    if inf is None and len(word) >= 5:
        inf = _prefixed(word)
    if inf is None:
        for ending in _ADJECTIVE_ENDINGS:  # a participle as an adjective: "geschlossenen", "übernommene"
            if word.endswith(ending):
                base = word[: -len(ending)]
                if len(base) >= 6 and base.endswith("en") and base not in _NOT_FORMS:
                    inf = _BARE.get(base) or _prefixed(base)
                break
    return inf if inf is not None else word
