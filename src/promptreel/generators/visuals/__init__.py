"""Illustrations chosen by meaning: Iconify icon sets (``icons``), the matching lexicon
(``lexicon``) and sentence embeddings (``embed``)."""
