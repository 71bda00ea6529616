"""The evaluation loaders: FacQA's tokens joined back into the article's text."""

from __future__ import annotations

import pytest

from articlebot.evaluation import detokenize


@pytest.mark.parametrize(
    ("tokens", "text"),
    [
        # numbers the tokenizer cut at their separators
        (
            "cakupannya mencapai 22.091 . 039 anak atau 94,8 persen".split(),
            "cakupannya mencapai 22.091.039 anak atau 94,8 persen",
        ),
        (
            "Sulawesi Utara ( 111 , 6 persen ) dan Bali ( 102 , 4 persen ) .".split(),
            "Sulawesi Utara (111,6 persen) dan Bali (102,4 persen).",
        ),
        # a list of scores and a list of years stay lists
        ("dan kalah 3-15 , 7-15 .".split(), "dan kalah 3-15, 7-15."),
        ("pada 2004 , 15 orang tewas".split(), "pada 2004, 15 orang tewas"),
        # quotes hug what they quote
        (['"', "Kami", "bebas", '"', ",", "kata", "dia", "."], '"Kami bebas", kata dia.'),
        # hyphens inside words; a dash between words stays
        (
            "rata - rata sejak 1980 - an , ulang tahun ke - 60 , pesawat GA - 181".split(),
            "rata-rata sejak 1980-an, ulang tahun ke-60, pesawat GA-181",
        ),
        ("di sektor energi - cetak biru".split(), "di sektor energi - cetak biru"),
    ],
)
def test_detokenize(tokens: list[str], text: str) -> None:
    assert detokenize(tokens) == text
