"""Learned weights of the answer extractor (retrieval/answer.py).

Linear/logistic models over hand-made, language-general features. Reproduce with
`python benchmarks/tune_answers.py fit --write` (fitted on FacQA train plus SQuAD-id answerables, with
FacQA-train-vs-other-articles negatives for refusal; XQuAD and FacQA valid are never used for fitting or for
choosing any setting). Features are standardised for fitting; the weights below are folded back onto the raw
features (a per-question constant does not change a softmax ranking).
"""

from __future__ import annotations

# Ranking score of a candidate sentence: sum(w * feature), fitted as a softmax over a question's candidates.
SENTENCE_FEATURES = (
    "cov", "bm25", "surf", "names", "bigram", "run", "prox", "density", "type_ok", "ans", "prev_cov", "next_cov",
    "rel", "rank_recip", "top_passage", "passage_cov", "best_in_passage", "first", "pos", "log_len", "rare_hit",
    "miss_rare", "cov_rel",
)
SENTENCE_WEIGHTS = {
    "bias": -5.4484, "cov": 3.968, "bm25": 0.7089, "surf": 2.1644, "names": -0.5201, "bigram": 1.6337,
    "run": -2.1588, "prox": 0.4368, "density": 0.8321, "type_ok": 1.2302, "ans": 2.3595,
    "prev_cov": 1.0486, "next_cov": -0.1067, "rel": 2.5049, "rank_recip": 1.489, "top_passage": -0.5775,
    "passage_cov": 4.0727, "best_in_passage": 0.5338, "first": -0.0157, "pos": -0.2304, "log_len": 0.0024,
    "rare_hit": 0.0314, "miss_rare": -0.345, "cov_rel": -2.2209,
}

# Show the chosen sentence with its previous/next sentence when sigmoid(bias + sum(w * feature)) > PAIR_MIN.
PAIR_FEATURES = ("s_cov", "s_type", "s_ans", "o_cov", "o_type", "o_ans", "ans_gain", "after", "typed_q", "o_len")
PAIR_WEIGHTS = {
    "bias": -2.3225, "s_cov": -0.7565, "s_type": -0.7207, "s_ans": -0.6291, "o_cov": 1.4009,
    "o_type": 0.6828, "o_ans": 0.5252, "ans_gain": 1.1543, "after": 0.1187, "typed_q": -0.0283,
    "o_len": -0.1197,
}
PAIR_MIN = 0.5

# P(the top candidate shows the answer): sigmoid(bias + sum(w * feature)); "rank" is the ranking score,
# "p_soft" its softmax probability among the question's candidates, "margin" its lead over the runner-up.
REFUSAL_FEATURES = (
    "rank", "p_soft", "margin", "cov", "bm25", "surf", "names", "bigram", "unknown", "miss_rare", "q_len", "rel",
    "type_ok", "ans",
)
REFUSAL_WEIGHTS = {
    "bias": -4.4864, "rank": 0.472, "p_soft": 0.6945, "margin": 0.3334, "cov": 0.499, "bm25": 0.4708,
    "surf": 0.3878, "names": 0.4364, "bigram": -0.0767, "unknown": -2.0491, "miss_rare": 1.0931,
    "q_len": 0.1183, "rel": -0.0657, "type_ok": -0.634, "ans": -0.4055,
}

# Score of a short-answer span inside the shown sentence (only its ranking matters).
SPAN_FEATURES = (
    "typed", "type_match", "dist", "near_after", "near_before", "capital", "prep_before", "prep_place", "n_tokens",
    "numeric", "dateline", "in_best", "stop_edge", "long",
)
SPAN_WEIGHTS = {
    "bias": -2.328, "typed": 0.4588, "type_match": 0.4588, "dist": -0.5202, "near_after": 0.624,
    "near_before": -0.0115, "capital": 0.5869, "prep_before": 0.0659, "prep_place": 0.5647,
    "n_tokens": 0.4429, "numeric": 0.8791, "dateline": -0.001, "in_best": -0.0002, "stop_edge": 0.0,
    "long": -0.3849,
}
