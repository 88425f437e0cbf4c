"""The sentence model run with NumPy, and its cache of vectors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from alignment.errors import AlignError
from alignment.links import embedding


@pytest.fixture()
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory, and a process that knows no vectors yet."""
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(embedding, "_KNOWN", {})
    monkeypatch.setattr(embedding, "_LOADED", set())
    return tmp_path / "cache"


def test_vectors_match_the_published_model(fresh_cache: Path) -> None:
    # the similarities sentence-transformers gives for these sentences with all-MiniLM-L6-v2
    v = embedding.embed(["A man is eating food.", "A man is eating a piece of bread.",
                         "The girl is carrying a baby."])
    assert v.shape == (3, embedding.DIMENSIONS) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    sims = v @ v.T
    assert sims[0, 1] == pytest.approx(0.7554, abs=2e-3)
    assert sims[0, 2] == pytest.approx(-0.1050, abs=2e-3)


def test_a_text_is_the_same_vector_alone_or_in_a_batch(fresh_cache: Path) -> None:
    texts = ["Support local businesses to generate wealth and employment in Thurrock",
             "Reduce re-offending", "Deliver the Raising Participation Age (RPA) Plan for 16-19 "
             "year olds to ensure high quality opportunities for learning"]
    batch = embedding._encoder().encode(texts)
    alone = np.stack([embedding._encoder().encode([t])[0] for t in texts])
    assert np.allclose(batch, alone, atol=1e-5)  # padding in a batch changes nothing


def test_empty_text_is_a_zero_vector_and_nothing_is_encoded(fresh_cache: Path) -> None:
    before = embedding.STATS["encoded"]
    v = embedding.embed(["", "   "])
    assert not v.any() and embedding.STATS["encoded"] == before
    assert embedding.embed([]).shape == (0, embedding.DIMENSIONS)


def test_a_text_is_encoded_once_and_read_back_by_a_new_process(fresh_cache: Path) -> None:
    first = embedding.embed(["Targeted interventions to reduce unemployment"])
    count = embedding.STATS["encoded"]
    again = embedding.embed(["Targeted interventions to reduce unemployment"])
    assert embedding.STATS["encoded"] == count and np.array_equal(first, again)
    assert list(fresh_cache.glob("embeddings-*.npz"))
    code = ("import numpy as np; from alignment.links import embedding as e; "
            "v = e.embed(['Targeted interventions to reduce unemployment']); "
            "print(e.STATS['encoded'], ' '.join(f'{x:.6f}' for x in v[0][:4]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "ALIGN_CACHE_DIR": str(fresh_cache)})
    encoded, *values = out.stdout.split()
    assert encoded == "0"  # read from the cache file, not computed
    assert np.allclose([float(x) for x in values], first[0][:4], atol=1e-6)


def _damaged(kind: str, path: Path) -> None:
    good = {"keys": np.zeros((1, 20), np.uint8), "vectors": np.eye(1, embedding.DIMENSIONS,
                                                                      dtype=np.float32)}
    if kind == "text":
        path.write_bytes(b"not a cache")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "truncated":
        np.savez(path, **good)
        path.write_bytes(path.read_bytes()[:200])
    elif kind == "npy":
        with path.open("wb") as fh:
            np.save(fh, good["vectors"])
    elif kind == "integers":
        np.savez(path, keys=good["keys"], vectors=np.ones((1, embedding.DIMENSIONS), np.int64))
    elif kind == "nan":
        np.savez(path, keys=good["keys"], vectors=np.full((1, embedding.DIMENSIONS), np.nan,
                                                          np.float32))
    elif kind == "not unit length":
        np.savez(path, keys=good["keys"], vectors=3 * good["vectors"])


@pytest.mark.parametrize("kind", ["text", "empty", "truncated", "npy", "integers", "nan",
                                  "not unit length"])
def test_a_damaged_cache_is_ignored_and_replaced(fresh_cache: Path, kind: str) -> None:
    fresh_cache.mkdir(parents=True)
    _damaged(kind, embedding.cache_path())
    v = embedding.embed(["Maintain good governance frameworks"])
    assert np.linalg.norm(v[0]) == pytest.approx(1.0, abs=1e-5)
    with np.load(embedding.cache_path()) as data:
        assert len(data["keys"]) == 1 and np.isfinite(data["vectors"]).all()


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(blocker / "cache"))  # under a file: cannot exist
    monkeypatch.setattr(embedding, "_KNOWN", {})
    monkeypatch.setattr(embedding, "_LOADED", set())
    v = embedding.embed(["Deliver the agreed Highways Capital Programme"])
    assert v.shape == (1, embedding.DIMENSIONS)
    assert list(tmp_path.iterdir()) == [blocker]  # nothing half-written beside it


def test_weights_that_are_not_the_published_ones_are_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """By either encoder, and by the one `embed` would choose (NumPy's says why where
    onnxruntime's does not start)."""
    copy = tmp_path / "model"
    shutil.copytree(embedding.model_dir(), copy)
    weights = copy / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    monkeypatch.setattr(embedding, "model_dir", lambda: copy)
    for encoder in (lambda: embedding._Encoder(copy), lambda: embedding._RuntimeEncoder(copy),
                    embedding._encoder.__wrapped__):  # type: ignore[attr-defined]
        with pytest.raises(AlignError,
                           match=r"model\.safetensors: not the published all-MiniLM-L6-v2"):
            encoder()


def test_a_missing_model_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(AlignError, match="the sentence model is not installed"):
        embedding.model_dir()


def test_every_cached_vector_is_found_again(fresh_cache: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # digests that end in zero bytes too (a fixed-width bytes array would drop those bytes)
    import hashlib

    texts = [f"Deliver programme {i}" for i in range(2000)]
    texts = [t for t in texts if hashlib.sha1(t.encode()).digest()[-1] == 0][:3] + texts[:5]
    assert len(texts) == 8
    first = embedding.embed(texts)
    monkeypatch.setattr(embedding, "_KNOWN", {})
    monkeypatch.setattr(embedding, "_LOADED", set())
    count = embedding.STATS["encoded"]
    assert np.array_equal(embedding.embed(texts), first)
    assert embedding.STATS["encoded"] == count


def test_without_a_home_directory_vectors_are_not_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ALIGN_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(os.path, "expanduser", lambda p: p)  # as when no home can be found
    monkeypatch.setattr(embedding, "_KNOWN", {})
    monkeypatch.setattr(embedding, "_LOADED", set())
    assert embedding.cache_path() is None
    assert embedding.embed(["Conduct a staff survey"]).shape == (1, embedding.DIMENSIONS)


@pytest.mark.parametrize("damage", ["missing", "garbled"])
def test_a_damaged_vocabulary_is_a_clear_error(tmp_path: Path, damage: str) -> None:
    copy = tmp_path / "model"
    shutil.copytree(embedding.model_dir(), copy)
    vocabulary = copy / "tokenizer.json"
    if damage == "missing":
        vocabulary.unlink()
    else:
        vocabulary.write_text('{"version": "1.0", "model": 7')
    with pytest.raises(AlignError, match=r"tokenizer\.json: cannot read the sentence model's "
                                         r"vocabulary \(.+\); reinstall"):
        embedding._Encoder(copy)


def test_a_few_new_vectors_are_kept_as_a_part_then_merged(fresh_cache: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Beside a large cache, a process that read a few new texts writes them as a part of their
    own, which the next process reads with the rest; once MAX_PARTS parts stand, the next
    writes the whole cache again as one file and removes the parts it took in."""
    monkeypatch.setattr(embedding, "MAX_PARTS", 2)
    texts = [f"Deliver the estate renewal programme, phase {i}" for i in range(30)]
    embedding.embed(texts[:20])
    main = embedding.cache_path()
    assert main.is_file() and not embedding._parts(main)
    for n, extra in enumerate(texts[20:23], 1):
        monkeypatch.setattr(embedding, "_KNOWN", {})  # a new process
        monkeypatch.setattr(embedding, "_LOADED", set())
        before = main.read_bytes()
        embedding.embed([extra])
        if n <= 2:  # written beside the cache, which is left as it was
            assert len(embedding._parts(main)) == n and main.read_bytes() == before
        else:  # merged
            assert not embedding._parts(main)
    monkeypatch.setattr(embedding, "_KNOWN", {})
    monkeypatch.setattr(embedding, "_LOADED", set())
    count = embedding.STATS["encoded"]
    embedding.embed(texts[:23])
    assert embedding.STATS["encoded"] == count  # every one read back, none computed again
    with np.load(main) as data:
        assert len(data["keys"]) == 23
