"""English words that name no subject: function words and the words of a request ("make",
"minute"). Shared by the prompt reader (``agent.lexicon``) and the picture matcher
(``generators.visuals.lexicon``), which each add a few of their own."""

from __future__ import annotations

__all__ = ["ENGLISH_STOPWORDS"]

ENGLISH_STOPWORDS = frozenset({
    "a", "about", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "being",
    "but", "by", "can", "clip", "create", "day", "days", "down", "each", "every", "for", "from",
    "generate", "get", "her", "here", "his", "how", "i", "in", "into", "is", "it", "its", "just",
    "like", "made", "make", "makes", "me", "minute", "minutes", "more", "most", "my", "new", "no",
    "not", "of", "on", "one", "only", "or", "other", "our", "out", "over", "own", "really", "same",
    "second", "seconds", "short", "should", "so", "some", "such", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "three", "to", "too", "two", "up",
    "us", "very", "video", "was", "way", "we", "were", "what", "when", "which", "who", "whom",
    "why", "will", "with", "you", "your",
})  # fmt: skip
