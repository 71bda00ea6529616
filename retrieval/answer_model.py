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
    "cov": 1.0, "cov_best": 0.0, "surf": 0.0, "bigram": 0.0, "rel": 0.25, "rank_recip": 0.0,
    "type_ok": 0.2, "prox": 0.1, "is_pair": -0.06, "log_len": 0.0, "unknown": 0.0, "miss_rare": 0.0,
    "passage_cov": 0.0, "first": 0.0, "second_only": 0.0, "q_len": 0.0,
}

# P(the top candidate shows the answer): sigmoid(bias + sum(w * feature)); "rank" is the ranking score.
REFUSAL_FEATURES = ("rank", "cov", "cov_best", "surf", "bigram", "unknown", "miss_rare", "q_len", "rel")
REFUSAL_WEIGHTS = {
    "bias": -6.1205, "rank": 1.2978, "cov": 1.842, "cov_best": 1.5337, "surf": 1.4197, "bigram": 0.7476,
    "unknown": -2.3826, "miss_rare": 0.3813, "q_len": 0.4929, "rel": 0.7913,
}

# Score of a short-answer span inside the shown sentence (only its ranking matters).
SPAN_FEATURES = (
    "typed", "type_match", "dist", "near_after", "near_before", "capital", "prep_before", "prep_place", "n_tokens",
    "numeric", "dateline", "in_best", "stop_edge", "long", "head_adj", "same_clause", "in_paren", "other_capital",
    "other_ntok", "left_q", "right_q",
)
SPAN_WEIGHTS = {
    "typed": 3.2199, "type_match": -0.0, "dist": -0.401, "near_after": 0.4699, "near_before": -0.1849,
    "capital": 0.0734, "prep_before": 0.1467, "prep_place": 0.9118, "n_tokens": 0.8927, "numeric": 1.2348,
    "dateline": 0.016, "in_best": 0.5307, "stop_edge": 0.0, "long": -0.8645, "head_adj": 2.1746,
    "same_clause": 0.3743, "in_paren": 1.0101, "other_capital": 1.2236, "other_ntok": -0.3424,
    "left_q": 0.894, "right_q": 0.6337,
}
