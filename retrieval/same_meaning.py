"""Words that mean the same and that stemming leaves apart, read as one term in questions and articles alike.

Why: a question and the sentence that answers it often word one thing two ways, and BM25 and the extractor's
coverage only see shared terms. Three kinds, all general vocabulary (no names, nothing of one article):

* spelling variants: Indonesian non-standard spellings beside the standard ones ("ijin"/"izin",
  "resiko"/"risiko", "nopember"/"november"), British and American English ("centre"/"center",
  "organise"/"organize" — Snowball strips "-ize" but not "-ise");
* a noun and the adjective or verb it is made from, where Snowball's suffix rules do not meet: "How high is the
  tower?" / "a height of 90 metres", "How many deaths …?" / "… people died", "Wie hoch …?" / "Höhe",
  "¿Qué altura …?" / "alto";
* a few plain synonyms of news writing: "ombak"/"gelombang" (waves), "rampung"/"selesai" (finished),
  "ongkos"/"biaya" (cost), "murid"/"siswa" (pupils), "pegawai"/"karyawan" (employees), "begin"/"start",
  "purchase"/"buy", "headquartered"/"based".

A word of one sense only, in its language: a word with a second common meaning stays out ("lalu" is "via" and
"last"; "kali" is "river" and "times"; "authorise" stays apart: Snowball already reads "authorize" as "author",
and "defend" stays apart from "defence": a "defender" met a team's "defense"). Each group is
"canonical variant …", separated by "|"; a group's words are analysed (irregular forms, stemming) and every
variant's term is read as the canonical word's term (`same_meaning_terms`). The tables' digest is part of
`retrieval.text.TOKENIZER_VERSION`: an edit rebuilds every index from SQLite at the next start.
"""

from __future__ import annotations

from collections.abc import Callable

SAME_MEANING: dict[str, str] = {
    "id": """
        izin ijin|praktik praktek|risiko resiko|imbau himbau|utang hutang|analisis analisa|jadwal jadual|
        november nopember|februari pebruari|sistem sistim|apotek apotik|karier karir|napas nafas|
        silakan silahkan|ramadan ramadhan|salat shalat sholat|kualitas kwalitas|teknik tehnik|ekstrem ekstrim|
        objek obyek|subjek subyek|provinsi propinsi|antre antri|zaman jaman|sekadar sekedar|rezeki rejeki|
        nomor nomer|telepon telpon|cedera cidera|istri isteri|paham faham|nasihat nasehat|masjid mesjid|
        lubang lobang|atlet atlit|frekuensi frekwensi|kuitansi kwitansi|aktivitas aktifitas|
        kreativitas kreatifitas|produktivitas produktifitas|efektivitas efektifitas|hierarki hirarki|
        teladan tauladan|konkret kongkrit konkrit|sopir supir|dolar dollar|
        gelombang ombak|selesai rampung|biaya ongkos|siswa murid pelajar|karyawan pegawai|penjara bui|ponsel hp handphone|
        wisatawan turis|tewas meninggal wafat|tangkap ringkus bekuk ciduk
    """,
    "en": """
        color colour|center centre|defense defence|program programme|labor labour|favor favour|
        neighbor neighbour|harbor harbour|theater theatre|meter metre|liter litre|tire tyre|gray grey|
        jewelry jewellery|aluminum aluminium|license licence|offense offence|catalog catalogue|mold mould|
        organize organise|realize realise|recognize recognise|apologize apologise|criticize criticise|
        prioritize prioritise|emphasize emphasise|minimize minimise|modernize modernise|privatize privatise|
        stabilize stabilise|utilize utilise|mobilize mobilise|hospitalize hospitalise|
        high height|long length|wide width|deep depth|strong strength|weigh weight|die death dead kill|born birth|
        fly flight|sell sale|lose loss|speak speech|choose choice|prove proof|marry marriage|pay payment|
        grow growth|decide decision|win winner|
        buy purchase|start begin|child kid|injure hurt wound|arrest detain|ban prohibit|doctor physician|resident inhabitant|
        employee worker|lawmaker legislator|find discover|finish complete|base headquarter headquarters hq
    """,
    "de": """
        hoch höhe|lang länge|sterben tod tot|geboren geburt|insolvenz pleite|festnehmen festnahme verhaften
    """,
    "es": """
        alto altura|largo longitud|ancho anchura|morir muerte muerto fallecer|nacer nacimiento|vender venta|
        detener arrestar|
        decidir decisión|crecer crecimiento|ganar ganador|encontrar hallar localizar
    """,
}


def same_meaning_terms(lang: str, term: Callable[[str], str]) -> dict[str, str]:
    """variant term -> canonical term for LANG, `term` being the language's analysis of one lowercase word
    (before this table). Terms that analysis already joins are left out."""
    out: dict[str, str] = {}
    groups = [g.split() for g in SAME_MEANING.get(lang, "").split("|")]
    for canonical, *variants in filter(None, groups):
        target = term(canonical)
        for word in variants:
            t = term(word)
            if t != target:
                out[t] = target
    return out
