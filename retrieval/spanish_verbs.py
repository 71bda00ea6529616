"""Spanish irregular preterites: the past forms whose stem is not the infinitive's, read as the infinitive before
stemming.

Snowball strips endings only, so "produjo" and "producir", "obtuvo" and "obtener", "detuvo" and "detenidos",
"convirtió" and "convertir", "murieron" and "morir" are different terms (XQuAD's and the news sets' Spanish
questions often ask in another tense than the text). Like `retrieval.german_verbs` and English irregular verbs
(`retrieval.text.IRREGULAR_EN`): a table of stems, through the prefixes those verbs take ("mantuvo", "propuso",
"redujo", "intervino", "atrajo"). Only forms no other word shares: the bare "vino" (wine), "traje" (a suit),
caber's "cupo" (a quota) and "fui"/"fue" (stop words) are left out, and so are the present-tense forms ("vista",
"visto").
"""

from __future__ import annotations

# infinitive -> (preterite stem, prefixes the verb takes besides none); endings below.
_STRONG_STEMS = {
    "tener": ("tuv", ("de", "ob", "man", "con", "re", "sos", "abs", "entre")),
    "estar": ("estuv", ()),
    "andar": ("anduv", ()),
    "poder": ("pud", ()),
    "poner": ("pus", ("com", "dis", "pro", "im", "su", "ex", "o", "re", "pre", "de", "sobre", "contra", "inter",
                      "ante", "trans", "yux", "pos", "sub")),
    "saber": ("sup", ()),
    "querer": ("quis", ()),
    "hacer": ("hic", ("des", "re")),
    "venir": ("vin", ("con", "pre", "inter", "pro", "sobre", "re", "ad", "sub", "de")),
}
# Stems ending in "j" take "-eron", "-era", "-ese" (not "-ieron").
_J_STEMS = {
    "decir": ("dij", ("contra", "pre", "mal", "ben")),
    "traer": ("traj", ("a", "con", "dis", "ex", "re", "sus", "sub", "abs")),
    "ducir": ("duj", ("pro", "re", "con", "intro", "tra", "de", "in", "se", "a")),
}
_STRONG_ENDINGS = ("e", "iste", "o", "imos", "isteis", "ieron", "iera", "ieras", "ieramos", "ieran", "iese",
                   "ieses", "iesen")
_J_ENDINGS = ("e", "iste", "o", "imos", "isteis", "eron", "era", "eras", "eramos", "eran", "ese", "eses", "esen")
# -ir verbs whose e/o turns i/u in the third-person preterite, the imperfect subjunctive and the gerund
# ("pidió", "siguieron", "eligiera", "durmiendo"): infinitive -> changed stem.
_SHIFTED = {
    "pedir": "pid", "impedir": "impid", "despedir": "despid", "medir": "mid", "repetir": "repit",
    "competir": "compit", "seguir": "sigu", "conseguir": "consigu", "perseguir": "persigu", "proseguir": "prosigu",
    "sentir": "sint", "consentir": "consint", "mentir": "mint", "elegir": "elig", "reelegir": "reelig",
    "corregir": "corrig", "regir": "rig", "convertir": "convirt", "invertir": "invirt", "divertir": "divirt",
    "advertir": "advirt", "servir": "sirv", "preferir": "prefir", "referir": "refir", "transferir": "transfir",
    "conferir": "confir", "sugerir": "sugir", "requerir": "requir", "herir": "hir", "morir": "mur",
    "dormir": "durm", "concebir": "concib", "vestir": "vist", "investir": "invist",
}
_SHIFTED_ENDINGS = ("io", "ieron", "iera", "ieras", "ieramos", "ieran", "iese", "ieses", "iesen", "iendo")
_LEFT_OUT = frozenset({"vino", "vine", "traje"})  # wine, a suit; "I came", "I brought" are rare in news


def _table() -> dict[str, str]:
    forms: dict[str, str] = {}
    for inf, (stem, prefixes) in _STRONG_STEMS.items():
        for prefix in ("", *prefixes):
            for ending in _STRONG_ENDINGS:
                forms[prefix + stem + ending] = prefix + inf
    for inf, (stem, prefixes) in _J_STEMS.items():
        for prefix in ("", *prefixes) if inf != "ducir" else prefixes:
            for ending in _J_ENDINGS:
                forms[prefix + stem + ending] = prefix + inf
    for inf, stem in _SHIFTED.items():
        for ending in _SHIFTED_ENDINGS:
            forms[stem + ending] = inf
    forms["hizo"] = "hacer"  # "hic" + "o" is spelt with z
    forms["rehizo"] = "rehacer"
    forms["deshizo"] = "deshacer"
    for word in _LEFT_OUT:
        forms.pop(word, None)
    return forms


_FORMS = _table()


def spanish_infinitive(word: str) -> str:
    """The infinitive of an irregular preterite, subjunctive or gerund form (a folded word, as `retrieval.text`
    analyses it: "produjo" -> "producir", "murió" folded "murio" -> "morir"), or the word itself."""
    return _FORMS.get(word, word)
