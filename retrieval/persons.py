"""Readings of questions about people that the span model cannot learn from its features.

- "Siapa Dimas Prasetyo?" / "Who is John Smith?" asks what a named person is, not for another person: the
  answer is the role written with the name ("Kepala BPBD Sumbar Rudy Rinaldy", "Rudy Rinaldy, Kepala …") or
  what a copula says of them (found in review: another person's name was bolded). A post asked like a name
  ("Siapa Kepala Dinas Kesehatan Jember?") reads the same way: its appositive is the holder ("…, dr. Lilik
  Andayani,"). With nothing written beside a person's name nothing is bolded (the sentence answers); a post
  with nothing beside it is left to the span model, as any who-question.
- "Siapa kapolres yang baru?" asks for the new holder of a post: a name the sentence marks as the previous
  one ("yang sebelumnya diemban X", "menggantikan X") does not answer it, and the reverse for "… yang lama?"
  (found in review: the old police chief, named first, was the answer). A question that says neither asks for
  the present holder, so it is read as asking for the new one where the sentence names both.
- A name sent alone ("Dimas Prasetyo?") asks what the articles say of it: the sentence, nothing in bold.
- A who-question whose role asks for a person ("Siapa hakim ketua …?", "whos okafor's lawyer") is not answered by
  an institution's name or an acronym ("Pengadilan Tindak Pidana Korupsi", "EFE"); one asking for an operator or
  a contractor may be ("PT Lintas Segara Abadi").
"""

from __future__ import annotations

import re

from retrieval.acronyms import TITLE_ACRONYMS
from retrieval.answer_types import _NAME_RE, definition_span
from retrieval.stopwords import QUESTION_WORDS, STOP_WORDS

_WORD = re.compile(r"\w+")
_FILLERS = frozenset(
    "siapa siapakah sih itu ini ya yah tuh dong kah sebenarnya sebetulnya "
    "who is was are were wer ist war quién quien es era fue".split()
)
MAX_NAME_WORDS = 4
_FUNCTION = frozenset().union(*STOP_WORDS.values(), *QUESTION_WORDS.values())


def asked_name(question: str) -> tuple[str, ...] | None:
    """The words of the name a who-is question asks about ("siapa Dimas Prasetyo?" -> ("dimas", "prasetyo")),
    casefolded; None when the question says more than a name ("siapa yang menggantikan Rio?")."""
    words = _WORD.findall(question)
    if not words or words[0].casefold() not in ("siapa", "siapakah", "who", "wer", "quién", "quien"):
        return None
    rest = [w for w in words[1:] if w.casefold() not in _FILLERS]
    if not 0 < len(rest) <= MAX_NAME_WORDS or any(w.isdigit() for w in rest):
        return None
    return tuple(w.casefold() for w in rest)


def name_alone(question: str) -> tuple[str, ...] | None:
    """The words of a message that is a name and nothing else ("Dimas Prasetyo?", "jokowi"), casefolded: no
    question word, no function word, at most four words. Whether they are a name is for `named_span` to find."""
    words = [w.casefold() for w in _WORD.findall(question)]
    if not 0 < len(words) <= MAX_NAME_WORDS or any(w in _FUNCTION or w.isdigit() for w in words):
        return None
    return tuple(words)


# Words of a post: "Siapa Kapolres Bogor?" asks who holds one, however it is written.
_POSTS = frozenset(
    "kapolres kapolda kapolsek bupati gubernur wali walikota wagub camat lurah kades kepala ketua wakil menteri "
    "presiden direktur dirut sekda kadis kadinkes hakim jaksa pelatih kapten juru bicara jubir pemimpin "
    "komandan panglima sekretaris bendahara manajer rektor dekan dirjen kabag humas kapuspen danrem dandim "
    "ceo cfo coo chairman chairwoman chair president mayor governor minister coach manager director chief head "
    "judge secretary spokesman spokeswoman spokesperson captain commissioner chancellor premier ambassador "
    "senator bürgermeister trainer präsident minister alcalde presidente ministro entrenador".split()
)


# Words of a who-question that ask for a person, not a company or a body: a post, or a part people play in a story.
_PERSON_ROLES = _POSTS | frozenset(
    "pengacara advokat kuasa wasit pemain kiper penjaga penyerang gelandang bek pencetak saksi korban "
    "tersangka terdakwa pelaku penyanyi vokalis pembalap atlet dokter perawat guru siswa murid warga pasien "
    "istri suami anak ayah ibu kadishub kadisdik kadinkes kapolsek "
    "lawyer attorney referee player goalkeeper keeper striker scorer witness victim suspect defendant singer "
    "driver athlete doctor nurse teacher student wife husband son daughter father mother "
    "anwalt schiedsrichter spieler torwart zeuge opfer verdächtige sänger sängerin "
    "abogado árbitro jugador portero testigo víctima sospechoso acusado cantante".split()
)
# The first word of an institution's or a place's name ("Pengadilan Tindak Pidana Korupsi", "Kabupaten Lombok
# Timur", "Court of Appeal", "Museo de Bellas Artes"): such a name answers no question asking for a person.
_INSTITUTION_HEADS = frozenset(
    "pengadilan kejaksaan kejari kejati kepolisian polres polda polsek kabupaten kota provinsi kecamatan kelurahan "
    "desa dusun dinas badan kementerian balai lembaga komisi dewan majelis pemerintah pemkab pemkot pemprov "
    "rumah rsud universitas institut sekolah madrasah pt cv bank pasar pelabuhan bandara terminal stadion jalan "
    "sungai gunung pulau selat teluk danau kantor partai yayasan perusahaan perum asosiasi gabungan klub museum "
    "masjid gereja hotel taman kawasan direktorat inspektorat sekretariat biro satuan markas "
    "court county state province district department ministry agency office bureau council committee commission "
    "university college school hospital port airport station river lake mount street church party union "
    "association federation institute center centre company board authority service police army navy "
    "government parliament congress senate club "
    "gericht landgericht amtsgericht oberlandesgericht stadt landkreis kreis bezirk ministerium bundesministerium "
    "amt verband gewerkschaft universität hochschule schule klinik krankenhaus partei verein kirche rathaus "
    "bahnhof stiftung polizei regierung bundesregierung "
    "tribunal juzgado audiencia ayuntamiento provincia ciudad comunidad junta ministerio consejería universidad "
    "colegio escuela banco partido iglesia fundación instituto policía gobierno confederación mancomunidad "
    "asociación federación sindicato empresa puerto aeropuerto estación río calle plaza".split()
)


# Parts an organisation often plays: a who-question with one may be answered by a company's or a body's name
# ("Siapa operator kapal?" -> "PT Lintas Segara Abadi", "Siapa investor baru …?" -> "PT Samudra Timur Capital").
_ORG_ROLES = frozenset(
    "investor operator kontraktor penyelenggara sponsor pemilik pembeli mitra pemasok penyedia pengembang vendor "
    "pelaksana pemenang juara kreditur kreditor klien pelanggan produsen pembuat penerbit distributor importir "
    "eksportir auditor regulator penggugat tergugat pemohon termohon penjamin donor penerima penyalur "
    "contractor organizer organiser owner buyer partner supplier provider developer maker winner champion lender "
    "creditor client customer producer manufacturer publisher importer exporter plaintiff claimant recipient "
    "betreiber auftraggeber käufer hersteller kläger sieger gewinner eigentümer "
    "inversor operador contratista patrocinador propietario dueño comprador socio proveedor fabricante ganador "
    "campeón demandante".split()
)


def asks_for_a_person(role: str | None, question: str = "") -> bool:
    """Whether a who-question's role noun ("hakim", "lawyer", "provost") asks for a person rather than an
    organisation: a known person's part, or any other lowercase role noun but the parts an organisation often
    plays (`_ORG_ROLES`). A capitalised "role" is a name ("Who were the Normans?"); without the question, only a
    known person's part counts."""
    if role is None or role in _ORG_ROLES:
        return False
    return role in _PERSON_ROLES or any(w == role for w in _WORD.findall(question))


# Police and military ranks news writes before a name, some in capitals ("AKP Hendrik Silalahi"): no acronym.
_RANKS = frozenset(
    "akp akbp kompol kombes iptu ipda aiptu aipda bripka brigpol briptu bripda brigjen irjen komjen kapten letkol "
    "lettu letda mayjen marsma laksma kolonel serka serma pelda".split()
)


def no_person_name(name: str) -> bool:
    """Whether a capitalised run is an institution's or a place's name ("Pengadilan Tipikor"; an abbreviated body
    such as "Dishub Sumut" is not caught) or an acronym ("EFE", "BPBD"; not a rank, "AKP Hendrik Silalahi"), so no
    person's name."""
    first = name.split(maxsplit=1)[0] if name.strip() else ""
    folded = first.casefold()
    return folded in _INSTITUTION_HEADS or (len(first) >= 2 and first.isupper() and folded not in _RANKS)


# A name between commas after a post: "Kepala Dinas Kesehatan Garut, Leni Marlina, mengatakan …".
_WORD_BEFORE = re.compile(r"(\w+) $")
_HOLDER_BETWEEN_COMMAS = re.compile(r",\s+([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’/-]*)*)\s*,")


def post_before_holder(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a post that the next words name the holder of, between commas ("Kepala Satuan
    Reserse Kriminal Polres Nunukan, AKP Hendrik Silalahi, mengatakan …"): the post is nobody, the name is.
    Not when the name after it is another post (a list: "Menteri Keuangan Sri Mulyani, Menteri BUMN Erick …")."""
    words = _WORD.findall(text[start:end])
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)  # "Ketua" left out as the question's word
    if not words or (words[0].casefold() not in _POSTS and (before is None or before.group(1).casefold() not in _POSTS)):
        return False
    m = _HOLDER_BETWEEN_COMMAS.match(text, end)
    return m is not None and m.group(1).split()[0].casefold() not in _POSTS


def is_post(name: tuple[str, ...]) -> bool:
    """Whether the words asked about name a post rather than a person ("kapolres bogor", "the new coach")."""
    return not _POSTS.isdisjoint(name)


# Indonesian offices chat writes short and news writes out ("Direktur Utama Cendrawasih Air, Yosef Rumbiak" for
# "siapa dirut …"; `retrieval.spelling.SHORT_FORMS` writes them out in questions).
OFFICE_SHORT_FORMS = {
    "kadinkes": "kepala dinas kesehatan", "kadisdik": "kepala dinas pendidikan",
    "kadishub": "kepala dinas perhubungan", "kadis": "kepala dinas", "kalak": "kepala pelaksana",
    "kasatpol": "kepala satuan polisi", "kajari": "kepala kejaksaan negeri", "kajati": "kepala kejaksaan tinggi",
    "kakanwil": "kepala kantor wilayah", "sekda": "sekretaris daerah", "wagub": "wakil gubernur",
    "wabup": "wakil bupati", "dirut": "direktur utama", "jubir": "juru bicara", "walikota": "wali kota",
    # acting holders ("Pj Bupati", "Plt Kepala Dinas") and more offices
    "pj": "penjabat", "plt": "pelaksana tugas", "plh": "pelaksana harian", "kadinsos": "kepala dinas sosial",
    "kadisnaker": "kepala dinas tenaga kerja", "kabid": "kepala bidang",
    "dirjen": "direktur jenderal", "sekjen": "sekretaris jenderal", "kasat": "kepala satuan", "kasi": "kepala seksi",
    "kanit": "kepala unit", "wamen": "wakil menteri", "menkes": "menteri kesehatan", "menkeu": "menteri keuangan",
    "mendagri": "menteri dalam negeri", "menlu": "menteri luar negeri",
    # heads of the other district agencies and the other ministers
    "kadispar": "kepala dinas pariwisata", "kadisperindag": "kepala dinas perindustrian dan perdagangan",
    "kadispora": "kepala dinas pemuda dan olahraga", "kadistan": "kepala dinas pertanian",
    "kadiskominfo": "kepala dinas komunikasi dan informatika", "kadisdukcapil": "kepala dinas kependudukan dan "
    "pencatatan sipil", "kadisbud": "kepala dinas kebudayaan", "kadishut": "kepala dinas kehutanan",
    "kadiskop": "kepala dinas koperasi", "kadisperkim": "kepala dinas perumahan dan kawasan permukiman",
    "mendikbud": "menteri pendidikan dan kebudayaan", "menpora": "menteri pemuda dan olahraga",
    "mentan": "menteri pertanian", "menhub": "menteri perhubungan", "menag": "menteri agama",
    "mensos": "menteri sosial", "menaker": "menteri ketenagakerjaan", "menperin": "menteri perindustrian",
    "mendag": "menteri perdagangan", "menhan": "menteri pertahanan", "menpar": "menteri pariwisata",
    "menkominfo": "menteri komunikasi dan informatika", "menkumham": "menteri hukum dan hak asasi manusia",
}
POST_LONG_FORMS = OFFICE_SHORT_FORMS | TITLE_ACRONYMS  # "ceo" -> "chief executive"
# A post that leads something is also written as the verb ("tim … yang dipimpin Prof Hwang", "SPD pimpinan
# Kanselir Gerhard Schroeder", "led by", "unter der Leitung von").
_LEADING_POSTS = frozenset(
    "ketua pemimpin pimpinan kepala direktur chairman chairwoman chair head leader director president presiden "
    "presidente directora leiter leiterin vorsitzende vorsitzender".split()
)
# Posts that say only that someone leads: any post named answers them ("president", "director", "Governor").
_ANY_LEADER = frozenset("head leader pemimpin pimpinan kepala leiter leiterin".split())
# Posts that English news writes abbreviated before a name ("Gov. Ellen Harper", "Sen. …").
_POST_ABBREVIATIONS = {
    "governor": "gov.", "senator": "sen.", "representative": "rep.", "president": "pres.", "general": "gen.",
    "captain": "capt.", "lieutenant": "lt.", "sergeant": "sgt.", "superintendent": "supt.", "professor": "prof.",
}
_LED_RE = re.compile(
    r"(?i)pimpin|\b(?:di|meng)ketuai\b|\bdikepalai\b|\b(?:led|headed|chaired|run)\s+by\b|\b(?:dirigid[oa]|presidid[oa]|encabezad[oa])\s+por\b|"
    r"\bgeleitet\b|\bleitung\b"
)


_ENGLISH_WHO = re.compile(r"(?i)\s*who\b")


def post_of(question: str, role: str | None) -> str | None:
    """The post an English who-question asks the holder of, when its role word is the organisation's name written
    before the post ("who is the harwood chairman …", "who is the fukuoka airport ceo"): the first post of the
    next three words; else `role` itself."""
    if role is None or role in _PERSON_ROLES or not _ENGLISH_WHO.match(question):
        return role  # Indonesian puts the head first: "kandidat presiden" asks for a candidate
    words = [w.casefold() for w in _WORD.findall(question)]
    if role not in words:
        return role
    i = words.index(role)
    return next((w for w in words[i + 1 : i + 4] if w in _POSTS), role)


def names_post(text: str, post: str) -> bool:
    """Whether `text` names the post a who-question asks about (casefolded `post`: "kapolres", "ceo", "wakil"),
    as written, written out ("chief executive") or, for a post that leads, as the verb ("dipimpin", "led by")."""
    t = text.casefold()
    stem = post[: max(3, len(post) - 1)]  # "hakim" / "hakimnya", "director" / "directors"
    if re.search(rf"\b{re.escape(stem)}", t) is not None:
        return True
    long_form = POST_LONG_FORMS.get(post)
    if long_form is not None and long_form in t:
        return True
    short = _POST_ABBREVIATIONS.get(post)
    if short is not None and re.search(rf"\b{re.escape(short)}", t) is not None:
        return True
    if post in _ANY_LEADER and not _POSTS.isdisjoint(_WORD.findall(t)):
        return True  # "Who heads the trust?" / "The trust's director, Anna-Marie Visser"
    return post in _LEADING_POSTS and _LED_RE.search(t) is not None


def named_span(text: str, start: int, end: int, name: tuple[str, ...]) -> tuple[int, int, int] | None:
    """Where text[start:end] writes the asked name as a name: (run start, name start, name end) of a run of
    capitalised words that ends with it ("Kepala BPBD Sumbar Rudy Rinaldy", "… Rudy Rinaldy di Padang": a
    lowercase connector ends it too). None when the name is not there,
    or when it is written ahead of another name ("Kapolres Bogor AKBP Dimas Prasetyo": then it is a post, and
    the question asks who holds it)."""
    found = None
    for m in _NAME_RE.finditer(text, start, end):
        words = list(_WORD.finditer(m.group(0)))
        low = [w.group(0).casefold() for w in words]
        for i in range(len(low) - len(name) + 1):
            if tuple(low[i : i + len(name)]) != name:
                continue
            j = i + len(name)
            if j < len(low) and not words[j].group(0).islower():
                return None  # a post before a name
            found = (m.start(), m.start() + words[i].start(), m.start() + words[j - 1].end())
    return found


_TITLE = r"(?i:dr|drg|ir|h|hj|prof|mr|mrs|ms|dipl)\.\s*"  # "dr. Lilik Andayani"
_TITLE_ONLY = re.compile(rf"(?:{_TITLE})+|(?i:sir|dame|lord|lady|bapak|pak|ibu|bu)")
_APPOSITIVE = re.compile(
    rf",\s+((?:(?:the|a|an|der|die|das|el|la)\s+\w|(?:{_TITLE})*[A-ZÀ-ÖØ-Þ])[^,;()\n]{{0,80}}?)\s*(?=[,;)]|\.(?:\s|$))"
)


def person_description(
    text: str, start: int, end: int, where: tuple[int, int, int], post: bool = False
) -> tuple[int, int] | None:
    """What text[start:end] says the named person is: "Rudy Rinaldy adalah …", the post written before the
    name in the same run of capitals, or the appositive after it ("Rudy Rinaldy, Kepala BPBD Sumbar, …"), or the
    lowercase post or the clause before it. For a `post` asked like a name ("Siapa Kepala Dinas Kesehatan
    Jember?") only the appositive after it: its holder ("…, dr. Lilik Andayani,")."""
    run_start, name_start, name_end = where
    if post:
        m = _APPOSITIVE.match(text, name_end, end)
        return (m.start(1), m.end(1)) if m is not None and len(m.group(1).split()) <= 8 else None
    said = definition_span(text, start, end, text[name_start:name_end].casefold())
    if said is not None:
        return said
    before = text[run_start:name_start].rstrip()
    title = _TITLE_ONLY.fullmatch(before)  # "Dr. Karen Whitfield": a title says nothing of what she is
    sentence_initial = run_start == start or text[:run_start].rstrip()[-1:] in (".", "!", "?", "\n", "")
    if before and not title and not (sentence_initial and len(before.split()) == 1):  # "Jabatan X …" opens one
        return run_start, run_start + len(before)
    m = _APPOSITIVE.match(text, name_end, end)
    if m is not None and len(m.group(1).split()) <= 8:
        return m.start(1), m.end(1)
    lead = run_start + (title.end() - title.start() if title else 0)  # where the words before the run are read
    return _role_word_before(text, max(start, lead - 60), run_start) or _clause_before(text, start, run_start, name_end)


_ROLE_WORD = re.compile(r"[a-z][a-z-]*")
_NOT_ROLE = _FUNCTION | frozenset("said says told added kata ujar ujarnya tutur jelas katanya".split())


def _role_word_before(text: str, lo: int, run_start: int) -> tuple[int, int] | None:
    """The lowercase post right before a name ("first-team coach Lee Harmon", "defender Lewis Dunk"): up to
    three words, back to a function word, a verb form or punctuation."""
    words = list(re.finditer(r"\S+", text[lo:run_start]))
    taken: list[re.Match[str]] = []
    for w in reversed(words):
        word = w.group(0)
        if len(taken) == 3 or not _ROLE_WORD.fullmatch(word) or word in _NOT_ROLE or word.endswith("ed"):
            break
        taken.insert(0, w)
    if not taken:
        return None
    return lo + taken[0].start(), lo + taken[-1].end()


_PREPOSITIONS = frozenset("in on at after before during by for from with since di pada dalam saat setelah sebelum ketika".split())


def _clause_before(text: str, start: int, run_start: int, name_end: int) -> tuple[int, int] | None:
    """The appositive before a name set off by commas ("Mercer's lawyer, Richard Hale, said"): the clause before
    the comma, a few words from the sentence's start or a comma, not an opening phrase ("On Monday, …")."""
    if not text[:run_start].rstrip().endswith(",") or not text[name_end:].lstrip().startswith(","):
        return None
    comma = text.rfind(",", start, run_start)
    lo = max(text.rfind(",", start, comma), text.rfind(". ", start, comma), start - 1) + 1
    clause = text[lo:comma].strip(" \"“”")
    words = clause.split()
    if not 0 < len(words) <= 6 or words[0].casefold() in _PREPOSITIONS:
        return None
    at = text.index(clause, lo)
    return at, at + len(clause)


_NEW_Q = frozenset(
    "baru terbaru sekarang kini new current currently now latest incoming neue neuer neuen aktuelle aktuellen jetzt "
    "nuevo nueva nuevos actual actualmente ahora".split()
)
_OLD_Q = frozenset(
    "lama sebelumnya sebelum terdahulu mantan eks former previous predecessor old before outgoing retiring "
    "ehemalige ehemaligen "
    "vorherige vorgänger anterior antiguo antigua antes".split()
)
_OLD_BEFORE = frozenset(
    "sebelumnya sebelum mantan eks terdahulu menggantikan gantikan former previous previously ex replacing replace "
    "replaces succeed succeeding succeeds ehemalige ehemaligen ehemaliger bisherige bisherigen bisheriger vorherige "
    "anterior antiguo antigua sustituye sustituyendo reemplaza reemplazando".split()
)
_NEW_BEFORE = frozenset("kini sekarang baru new newly current currently now neue neuer neuen nuevo nueva".split())
_REPLACED = frozenset("replaced succeeded ersetzt abgelöst sustituido reemplazado".split())
_BY = frozenset("by oleh von por".split())
_CLAUSE = re.compile(r"[,;:.!?()\"“”]")
_LOOK_BACK = 4


def _marks(text: str, span_start: int, floor: int) -> int:
    """+1 when the words right before a name mark it as the new holder ("kini dipegang oleh X", "digantikan
    X"), -1 as the previous one ("yang sebelumnya diemban X", "menggantikan X"), 0 when neither."""
    lo = max(floor, span_start - 60)
    before = text[lo:span_start]
    cut = max((m.end() for m in _CLAUSE.finditer(before)), default=0)
    words = [w.casefold() for w in _WORD.findall(before[cut:])][-_LOOK_BACK:]
    if not words:
        return 0
    if words[-1] in _BY and any(w in _REPLACED for w in words):
        return 1  # "was replaced by X"
    if any(w.startswith("digantikan") for w in words):
        return 1  # "digantikan (oleh) X"
    old = any(w in _OLD_BEFORE for w in words)
    new = any(w in _NEW_BEFORE for w in words)
    return -1 if old and not new else (1 if new and not old else 0)


def holder_words(q_surface: frozenset[str]) -> frozenset[str]:
    """The question's words that say which holder it asks for ("new", "baru", "former"): they choose among the
    names of a sentence, and are no words the answering sentence needs ("… would succeed Tom Harrow as chief
    executive" answers "who is the new ceo"; found in an English user's review: "200 new Boeing jets" did)."""
    return q_surface & (_NEW_Q | _OLD_Q)


def asks_new_or_old(q_surface: frozenset[str]) -> int:
    """+1 when a question asks for the new or current holder, -1 for the previous one, 0 otherwise."""
    new, old = not q_surface.isdisjoint(_NEW_Q), not q_surface.isdisjoint(_OLD_Q)
    return 1 if new and not old else (-1 if old and not new else 0)


def holder_asked(
    text: str, best: tuple[int, int], ranked: list[tuple[int, int]], floor: int, wanted: int
) -> tuple[int, int]:
    """`best`, unless the sentence marks it as the other holder than the one asked (`wanted`: +1 new, -1
    previous, 0 neither: the present one): then the best-ranked candidate marked as the asked one, else (when
    the question said which) the best one not marked against. A name the sentence does not mark stays: "mantan
    Kepala Dinas …, Syamsul Hadi" marks the post, and the name after the comma is its holder."""
    if _marks(text, best[0], floor) != -(wanted or 1):
        return best
    marks = [(c, _marks(text, c[0], floor)) for c in ranked if c != best]
    fallback = next((c for c, m in marks if m == 0), best) if wanted else best
    return next((c for c, m in marks if m == (wanted or 1)), fallback)
