"""Who-questions about a named person, and about a post's new or previous holder (retrieval.persons)."""

from __future__ import annotations

from retrieval.persons import asked_name, asks_new_or_old, named_span, person_description
from tests.test_answer import _ask, _shown

HANDOVER = (
    "Jabatan Kapolres Bogor yang sebelumnya diemban AKBP Rio Wahyu Anggoro kini dipegang oleh AKBP Dimas "
    "Prasetyo. Serah terima jabatan digelar di Mapolda Jawa Barat, Senin (12/10/2026)."
)


def test_the_new_holder_of_a_post_is_the_one_the_sentence_says_holds_it_now() -> None:
    """Found in an Indonesian user's review: "siapa kapolres yang baru" was answered with the old chief."""
    for q in ("siapa kapolres bogor yang baru", "Siapa Kapolres Bogor sekarang?", "siapa kapolres bogor"):
        assert _shown(_ask(q, [HANDOVER], "id")[0], [HANDOVER])[1] == "AKBP Dimas Prasetyo", q
    for q in ("siapa kapolres bogor yang lama", "Siapa Kapolres Bogor sebelumnya?"):
        assert _shown(_ask(q, [HANDOVER], "id")[0], [HANDOVER])[1] == "AKBP Rio Wahyu Anggoro", q
    text = "The club's former coach Mark Ellis was replaced by Tom Reyes on Monday, the board said."
    assert _shown(_ask("Who is the new coach of the club?", [text], "en")[0], [text])[1] == "Tom Reyes"
    assert _shown(_ask("Who was the club's previous coach?", [text], "en")[0], [text])[1] == "Mark Ellis"


def test_who_is_a_named_person_is_answered_by_their_post_not_another_name() -> None:
    """Found in review: "siapa Dimas Prasetyo" had the other officer's name in bold."""
    text = (
        '"Data sementara, 1.250 rumah rusak," kata Kepala Pelaksana BPBD Sumbar Rudy Rinaldy di Padang, Senin '
        "(12/10/2026), didampingi Sekretaris Daerah Hansastri."
    )
    for q in ("siapa Rudy Rinaldy?", "siapa sih rudy rinaldy"):
        assert _shown(_ask(q, [text], "id")[0], [text])[1] == "Kepala Pelaksana BPBD Sumbar", q
    text = "The statement was read by Maria Lopez, the head of the city's water board, on Friday."
    assert _shown(_ask("Who is Maria Lopez?", [text], "en")[0], [text])[1] == "the head of the city's water board"


def test_a_post_asked_like_a_name_is_answered_by_its_appositive() -> None:
    text = "Kepala Dinas Kesehatan Jember, dr. Lilik Andayani, mengatakan tercatat 87 kasus campak."
    assert _shown(_ask("Siapa Kepala Dinas Kesehatan Jember?", [text], "id")[0], [text])[1] == "dr. Lilik Andayani"


def test_asked_name_and_its_place_in_the_text() -> None:
    assert asked_name("siapa sih Dimas Prasetyo?") == ("dimas", "prasetyo")
    assert asked_name("Who is John Smith") == ("john", "smith")
    assert asked_name("siapa yang menggantikan Rio Wahyu Anggoro sebagai kapolres?") is None  # more than a name
    assert asked_name("berapa korban gempa?") is None
    # written ahead of another name, the words are a post: the question asks who holds it
    assert named_span("Kapolres Bogor AKBP Dimas Prasetyo hadir.", 0, 40, ("kapolres", "bogor")) is None
    where = named_span("Hadir pula AKBP Dimas Prasetyo.", 0, 31, ("dimas", "prasetyo"))
    assert where is not None and person_description("Hadir pula AKBP Dimas Prasetyo.", 0, 31, where) == (11, 15)
    assert asks_new_or_old(frozenset({"siapa", "kapolres", "baru"})) == 1
    assert asks_new_or_old(frozenset({"who", "was", "the", "former", "coach"})) == -1
    assert asks_new_or_old(frozenset({"siapa", "kapolres"})) == 0


def test_a_title_before_the_name_is_not_what_the_person_is() -> None:
    """Found in an English user's review: "who is karen whitfield" had "Dr." in bold."""
    text = '"Nine out of ten will get sick," said Dr. Karen Whitfield, Marion County\'s health officer.'
    assert _shown(_ask("who is karen whitfield", [text], "en")[0], [text])[1] == "Marion County's health officer"


def test_who_is_reads_the_post_written_around_the_name() -> None:
    """Found in an English user's review: "who is lee harmon" had "Premier League" in bold, "who is richard hale"
    "Mercer", "who is tom harrow" the other executive."""
    cases = [
        ("who is lee harmon", "Aston Villa appointed first-team coach Lee Harmon as interim head coach on Monday.",
         "first-team coach"),
        ("who is richard hale", "Mercer's lawyer, Richard Hale, said his client would appeal.", "Mercer's lawyer"),
        ("who is tom harrow", "Maria Lindqvist, 46, would succeed Tom Harrow on January 1, 2027.", None),
    ]
    for q, text, want in cases:
        assert _shown(_ask(q, [text], "en")[0], [text])[1] == want, q


def test_the_holder_of_a_post_without_its_title_or_company() -> None:
    """Found in an English user's review: "Chief Operating Officer Maria Lindqvist" and "Air" (of "Kestrel Air")
    were the new chief executive."""
    text = ("Irish airline Kestrel Air said on Thursday that Chief Operating Officer Maria Lindqvist would succeed Tom "
            "Harrow as chief executive on January 1.")
    assert _shown(_ask("who is the new kestrel ceo", [text], "en")[0], [text])[1] == "Maria Lindqvist"
    assert _shown(_ask("Who is Kestrel's outgoing CEO?", [text], "en")[0], [text])[1] == "Tom Harrow"
    # a one-word title is often a rank that belongs to the name
    text = "Komandan KRI Pulau Rangsang Mayor Laut Wirahadi AW mengatakan kapal itu berusaha lari."
    got = _shown(_ask("Siapa komandan KRI Pulau Rangsang?", [text], "id")[0], [text])[1]
    assert got is not None and got.endswith("Mayor Laut Wirahadi AW")


def test_any_lowercase_role_asks_for_a_person_but_an_organisation_s_part() -> None:
    """Found on a held-out news set: "Who is the provost at Central Ohio University?" was answered "Department of
    Higher Education" ("provost" was no known part). A part an organisation often plays still takes its name."""
    from retrieval.persons import asks_for_a_person

    assert asks_for_a_person("provost", "Who is the provost at Central Ohio University?")
    assert asks_for_a_person("hakim", "Siapa hakim ketua?")
    assert not asks_for_a_person("investor", "Siapa investor baru Cendrawasih Air?")  # "PT Samudra Timur Capital"
    assert not asks_for_a_person("normans", "Who were the Normans?")  # a name, not a part
    assert not asks_for_a_person(None, "Siapa yang menggugat?")
