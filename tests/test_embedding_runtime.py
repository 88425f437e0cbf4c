"""The sentence model run by onnxruntime (the graph of alignment/links/onnx_graph.py) gives the
NumPy encoder's vectors, and the NumPy encoder takes over where onnxruntime is missing."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from alignment.links import embedding
from alignment.model import Corpus


def _bundled_texts(corpus: Corpus) -> list[str]:
    return sorted(t for t in {e.text() for e in corpus.elements} | {e.label for e in corpus.elements}
                  if t.strip())


@pytest.mark.slow
def test_onnxruntime_gives_the_numpy_vectors_of_the_bundled_texts(corpus: Corpus) -> None:
    """Every fourth bundled text, and the twenty longest (cut at 256 tokens); `make bench`
    (tools/bench_encode.py) compares them all."""
    every = _bundled_texts(corpus)
    longest = sorted(every, key=len)[-20:]
    texts = sorted(set(every[::4]) | set(longest))
    assert len(texts) > 80 and max(map(len, texts)) > 1500  # some are cut at 256 tokens
    runtime = embedding._RuntimeEncoder(embedding.model_dir()).encode(texts)
    numpy = embedding._Encoder(embedding.model_dir()).encode(texts)
    assert runtime.shape == numpy.shape == (len(texts), embedding.DIMENSIONS)
    assert runtime.dtype == np.float32
    cosines = (runtime * numpy).sum(axis=1)
    assert cosines.min() >= 0.999
    assert np.allclose(np.linalg.norm(runtime, axis=1), 1.0, atol=1e-5)


def test_onnxruntime_encodes_where_it_is_installed() -> None:
    assert isinstance(embedding._encoder(), embedding._RuntimeEncoder)


def _without_cache() -> embedding._Encoder:
    """The encoder `embed` would choose in a new process (not the one this process keeps)."""
    return embedding._encoder.__wrapped__()  # type: ignore[attr-defined,no-any-return]


def test_numpy_encodes_where_onnxruntime_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # `import onnxruntime` fails
    encoder = _without_cache()
    assert type(encoder) is embedding._Encoder
    texts = ["A man is eating food.", "A man is eating a piece of bread.",
             "The girl is carrying a baby."]
    v = encoder.encode(texts)
    sims = v @ v.T  # what sentence-transformers gives with all-MiniLM-L6-v2
    assert sims[0, 1] == pytest.approx(0.7554, abs=2e-3)
    assert sims[0, 2] == pytest.approx(-0.1050, abs=2e-3)
    assert ((v * embedding._encoder().encode(texts)).sum(axis=1) >= 0.999).all()


def test_numpy_encodes_where_onnxruntime_does_not_start(monkeypatch: pytest.MonkeyPatch) -> None:
    import onnxruntime

    def refuse(*args: object, **kwargs: object) -> None:
        raise RuntimeError("no session here")

    monkeypatch.setattr(onnxruntime, "InferenceSession", refuse)
    assert type(_without_cache()) is embedding._Encoder


def test_long_and_short_texts_are_the_same_vectors_alone_or_together() -> None:
    # a batch holds at most _BATCH_TOKENS tokens: long texts go in smaller batches
    words = "Deliver the Local Plan with residents and businesses across the borough".split()
    texts = [" ".join(words[: 1 + i % len(words)] * (1 + i // 8)) for i in range(48)]
    texts.append(" ".join(words * 40))  # more than 256 tokens: cut, as the model was trained
    encoder = embedding._encoder()
    together = encoder.encode(texts)
    alone = np.stack([encoder.encode([t])[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-5)


def test_the_network_kept_in_the_cache_starts_the_same_encoder(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The first encoder writes its network's graph beside the vectors' cache; the next starts
    from it without reading the weights, and gives the same vectors to the bit. A kept graph
    whose checksum fails is not used: the encoder is made from the weights again."""
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path))
    texts = ["Deliver the Thurrock Freeport skills programme", "Improve children's mental health"]
    first = embedding._RuntimeEncoder(embedding.model_dir())
    kept = embedding._kept_graph(embedding.model_dir())
    assert kept is not None and kept.parent == tmp_path
    expected = first.encode(texts)

    def unread(directory):  # type: ignore[no-untyped-def]
        raise AssertionError("the weights were read")

    with monkeypatch.context() as m:
        m.setattr(embedding, "_read_weights", unread)
        again = embedding._RuntimeEncoder(embedding.model_dir())
    assert again.encode(texts).tobytes() == expected.tobytes()

    data = bytearray(kept.read_bytes())
    data[len(data) // 2] ^= 0x01  # a weight's bit: the graph would still load
    kept.write_bytes(bytes(data))
    assert embedding._kept_graph(embedding.model_dir()) is None
    mended = embedding._RuntimeEncoder(embedding.model_dir())
    assert mended.encode(texts).tobytes() == expected.tobytes()
    assert embedding._kept_graph(embedding.model_dir()) is not None  # written again, whole


def test_weights_changed_since_the_network_was_kept_are_read_and_refused(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A network kept from the published weights does not stand for weights changed since in
    place: they are read, checked, and refused with the error that says why."""
    import os
    import shutil

    from alignment.errors import AlignError

    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    copy = tmp_path / "model"
    shutil.copytree(embedding.model_dir(), copy)
    embedding._RuntimeEncoder(copy)
    assert embedding._kept_graph(copy) is not None
    weights = copy / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    before = weights.stat().st_mtime_ns
    weights.write_bytes(bytes(data))  # in place, and a second later, as an edit would be
    os.utime(weights, ns=(before + 10**9, before + 10**9))
    assert embedding._kept_graph(copy) is None
    with pytest.raises(AlignError, match=r"model\.safetensors: not the published all-MiniLM-L6-v2"):
        embedding._RuntimeEncoder(copy)
