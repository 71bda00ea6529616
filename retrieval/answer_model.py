"""Learned weights of the answer extractor (retrieval/answer.py).

Logistic models over hand-made, language-general features. Reproduce with
`python benchmarks/tune_answers.py fit` (fitted on FacQA train plus SQuAD-id answerables and
FacQA-train-vs-other-articles negatives; XQuAD and FacQA valid are never used for fitting).
"""

from __future__ import annotations

# Ranking score of a candidate sentence/pair: sum(w * feature) (softmax over a question's candidates).
SENTENCE_FEATURES = (
    "cov", "cov_best", "surf", "bigram", "rel", "rank_recip", "type_ok", "prox", "is_pair", "log_len",
    "unknown", "miss_rare", "passage_cov", "first", "second_only", "q_len",
)
SENTENCE_WEIGHTS = {
    "cov": 1.0, "cov_best": 0.4, "surf": 0.1, "bigram": 0.2, "rel": 0.4, "rank_recip": 0.0, "type_ok": 0.3,
    "prox": 0.1, "is_pair": -0.06, "log_len": 0.0, "unknown": 0.0, "miss_rare": 0.0, "passage_cov": -0.2,
    "first": 0.0, "second_only": -0.2, "q_len": 0.0,
}

# P(the top candidate shows the answer): sigmoid(bias + sum(w * feature)); "rank" is the ranking score.
REFUSAL_FEATURES = ("rank", "cov", "cov_best", "surf", "bigram", "unknown", "miss_rare", "q_len", "rel")
REFUSAL_WEIGHTS = {
    "bias": -6.7385, "rank": 1.104, "cov": 2.1233, "cov_best": 1.5726, "surf": 1.5283, "bigram": 0.1833,
    "unknown": -1.9453, "miss_rare": 0.409, "q_len": 0.6728, "rel": 0.7803,
}

# Score of a short-answer span inside the shown sentence (only its ranking matters).
SPAN_FEATURES = (
    "typed", "type_match", "dist", "near_after", "near_before", "capital", "prep_before", "prep_place", "n_tokens",
    "numeric", "dateline", "in_best", "stop_edge", "long", "head_adj", "same_clause", "in_paren", "other_capital",
    "other_ntok", "left_q", "right_q",
)
SPAN_WEIGHTS = {
    "typed": 3.297, "type_match": 0.0, "dist": -0.5881, "near_after": 0.4536, "near_before": -0.2216,
    "capital": 0.0317, "prep_before": 0.1008, "prep_place": 0.9632, "n_tokens": 0.851, "numeric": 1.2239,
    "dateline": -0.0012, "in_best": 0.6201, "stop_edge": 0.0, "long": -0.9462, "head_adj": 2.1141,
    "same_clause": 0.4109, "in_paren": 1.0039, "other_capital": 1.1156, "other_ntok": -0.4368,
    "left_q": 0.8782, "right_q": 0.6301,
}
