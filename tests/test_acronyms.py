"""Questions about what an acronym stands for (retrieval/acronyms.py)."""

from __future__ import annotations

import pytest

from retrieval.acronyms import acronym_search_text, asked_acronym, long_forms


@pytest.mark.parametrize(
    ("question", "acronym"),
    [
        ("Apakah kepanjangan dari Aptindo?", "Aptindo"),
        ("Apakah kepanjangan BPS", "BPS"),
        ("apakah singkatan hama GAS", "GAS"),
        ("BPS itu singkatan dari apa?", "BPS"),
        ("bps singkatan dari apa", "bps"),
        ("kepanjangan dari aptindo apa", "aptindo"),  # the engine reads "… apa sih" so (retrieval.colloquial)
        ("What does NATO stand for?", "NATO"),
        ("What is the full form of GDP?", "GDP"),
        ("Wofür steht die Abkürzung BIP?", "BIP"),
        ("¿Qué significan las siglas ONU?", "ONU"),
        # the long form given, the short one asked: another question
        ("Apakah singkatan dari Lembaga Bantuan Hukum?", None),
        ("Apa singkatan dari Perhimpunan Bantuan Hukum dan HAM", None),
        # no words that ask for a long form
        ("Siapa ketua BPS?", None),
        ("Apa istilah singkatan untuk generator antibodi?", None),
        ("Where does NATO stand on the treaty?", None),
    ],
)
def test_asked_acronym(question: str, acronym: str | None) -> None:
    assert asked_acronym(question) == acronym


def test_the_asking_words_are_not_searched() -> None:
    assert "kepanjangan" not in acronym_search_text("Apa kepanjangan dari BPS?")
    assert acronym_search_text("Siapa ketua BPS?") == "Siapa ketua BPS?"


@pytest.mark.parametrize(
    ("text", "short", "long"),
    [
        (
            "Kata Direktur Eksekutif Asosiasi Produsen Tepung Terigu Indonesia (Aptindo) di Jakarta.",
            "Aptindo",
            "Asosiasi Produsen Tepung Terigu Indonesia",
        ),
        ("Menurut Perserikatan Bangsa-Bangsa (PBB), jumlahnya naik.", "PBB", "Perserikatan Bangsa-Bangsa"),
        (
            "Anggota Pusat Koperasi Angkatan Darat (Puskopad) hadir.",
            "Puskopad",
            "Pusat Koperasi Angkatan Darat",
        ),
        (
            "The scan uses magnetic resonance imaging (MRI, a 1970s invention).",
            "MRI",
            "magnetic resonance imaging",
        ),
        ("Data dari BPS (Badan Pusat Statistik) menunjukkan kenaikan.", "BPS", "Badan Pusat Statistik"),
    ],
)
def test_long_forms(text: str, short: str, long: str) -> None:
    assert [text[a:b] for a, b in long_forms(text, short)] == [long]


def test_no_long_form_where_the_letters_do_not_match_or_a_sentence_ends() -> None:
    assert long_forms("Kepala kantor itu (BPS) datang.", "BPS") == []
    assert long_forms("Badan Pusat Statistik merilis data. Kemudian (BPS) menyusul.", "BPS") == []
    assert long_forms("Harga naik (BPS belum merilis data).", "BPS") == []
