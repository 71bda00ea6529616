"""Learned weights of the answer extractor (retrieval/answer.py).

Linear scores over hand-made, language-general features: the sentence ranking found by coordinate ascent on
top-1 accuracy, the refusal probability by logistic regression, the short-answer span by a listwise fit.
Reproduce with
`python benchmarks/tune_answers.py fit` (fitted on FacQA train plus SQuAD-id answerables and
FacQA-train-vs-other-articles negatives; XQuAD and FacQA valid are never used for fitting).
"""

from __future__ import annotations

# Ranking score of a candidate sentence/pair: sum(w * feature); the highest is shown.
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
    "bias": -6.7216, "rank": 1.1036, "cov": 2.1163, "cov_best": 1.5695, "surf": 1.5289, "bigram": 0.1844,
    "unknown": -1.9525, "miss_rare": 0.4059, "q_len": 0.6716, "rel": 0.7763,
}

# Score of a short-answer span inside the shown sentence (only its ranking matters).
SPAN_FEATURES = (
    "typed", "type_match", "dist", "near_after", "near_before", "capital", "prep_before", "prep_place", "n_tokens",
    "numeric", "dateline", "in_best", "stop_edge", "long", "head_adj", "head_before", "same_clause", "in_paren", "other_capital",
    "other_ntok", "left_q", "right_q",
)
SPAN_WEIGHTS = {
    "typed": 3.2631, "type_match": -0.0, "dist": -0.5996, "near_after": 0.4107, "near_before": -0.1659,
    "capital": 0.0284, "prep_before": 0.1269, "prep_place": 0.9413, "n_tokens": 0.8533, "numeric": 1.2287,
    "dateline": -0.0195, "in_best": 0.6176, "stop_edge": 0.0, "long": -0.968, "head_adj": 0.4698,
    "head_before": 2.0137, "same_clause": 0.3869, "in_paren": 1.0084, "other_capital": 1.1077,
    "other_ntok": -0.4442, "left_q": 0.8825, "right_q": 0.6092,
}
