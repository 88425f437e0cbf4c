"""The sentence model's network as an ONNX graph, written from its weights for onnxruntime.

The graph is exactly the network `embedding._Encoder` runs with NumPy: the embeddings (word,
position, token type 0), six BERT layers (attention with an additive mask, exact GELU,
LayerNormalization with epsilon 1e-12) and mean pooling over the tokens of the mask, then unit
length. Inputs: `input_ids` int64 [batch, length] and `attention_mask` float32 [batch, length] (1
for a token, 0 for padding); output: `vectors` float32 [batch, 384]. Only standard operators of
opset 18 are used; onnxruntime fuses what it can when it loads the graph.

It is written at first use from the installed weights (about 0.1 s), so nothing but the weights is
kept on disk. The ONNX file format is protocol buffers; the few messages the graph needs are
written here directly (field numbers of onnx/onnx.proto, a format kept stable by the ONNX
project), so the `onnx` package, with its own dependencies, is not needed at run time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["network"]

OPSET = 18  # LayerNormalization is in opset 17, ReduceL2 with its axes as an input in 18
IR_VERSION = 8  # the file format version of opset 18
_FLOAT, _INT64 = 1, 7  # TensorProto.DataType
_ATTR_FLOAT, _ATTR_INT, _ATTR_INTS = 1, 2, 7  # AttributeProto.AttributeType


# -- protocol buffers: varints and length-delimited fields ------------------------------------
# A message is a list of byte chunks, joined once at the end: the weights (90 MB) are copied into
# the model's bytes once, not once for each message that holds them.

Chunks = list[bytes | memoryview]


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # a negative int64 is written as ten bytes of two's complement
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _int(field: int, value: int) -> Chunks:
    return [_varint(field << 3) + _varint(value)]


def _float(field: int, value: float) -> Chunks:
    import struct

    return [_varint(field << 3 | 5) + struct.pack("<f", value)]


def _text(field: int, value: str) -> Chunks:
    return _message(field, [value.encode("utf-8")])


def _message(field: int, chunks: Chunks) -> Chunks:
    """A length-delimited field: a string, bytes or an embedded message."""
    return [_varint(field << 3 | 2) + _varint(sum(len(c) for c in chunks)), *chunks]


# -- the ONNX messages the graph needs --------------------------------------------------------


def _tensor(name: str, array: np.ndarray) -> Chunks:
    import numpy as np

    kinds = {np.dtype(np.float32): _FLOAT, np.dtype(np.int64): _INT64}
    array = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))
    out = [c for d in array.shape for c in _int(1, d)]
    return out + _int(2, kinds[array.dtype]) + _text(8, name) + _message(9, [array.data.cast("B")])


def _attribute(name: str, value: float | int | list[int]) -> Chunks:
    if isinstance(value, float):
        return _text(1, name) + _float(2, value) + _int(20, _ATTR_FLOAT)
    if isinstance(value, int):
        return _text(1, name) + _int(3, value) + _int(20, _ATTR_INT)
    return _text(1, name) + [c for v in value for c in _int(8, v)] + _int(20, _ATTR_INTS)


def _node(op: str, inputs: list[str], output: str, **attributes: float | int | list[int]) -> Chunks:
    out = [c for i in inputs for c in _text(1, i)] + _text(2, output) + _text(3, output)
    out += _text(4, op)
    for key, value in attributes.items():
        out += _message(5, _attribute(key, value))
    return out


def _value_info(name: str, elem_type: int, dims: list[int | str]) -> Chunks:
    shape: Chunks = []
    for d in dims:
        shape += _message(1, _text(2, d) if isinstance(d, str) else _int(1, d))
    tensor_type = _int(1, elem_type) + _message(2, shape)
    return _text(1, name) + _message(2, _message(1, tensor_type))


class _Graph:
    def __init__(self) -> None:
        self.nodes: Chunks = []
        self.initializers: Chunks = []
        self.count = 0

    def _name(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def const(self, array: np.ndarray) -> str:
        name = self._name("w")
        self.initializers += _message(5, _tensor(name, array))
        return name

    def __call__(self, op: str, *inputs: str, out: str | None = None,
                 **attributes: float | int | list[int]) -> str:
        out = out or self._name("t")
        self.nodes += _message(1, _node(op, list(inputs), out, **attributes))
        return out

    def model(self, inputs: list[Chunks], outputs: list[Chunks]) -> bytes:
        graph = self.nodes + _text(2, "all-MiniLM-L6-v2") + self.initializers
        for i in inputs:
            graph += _message(11, i)
        for o in outputs:
            graph += _message(12, o)
        opset = _text(1, "") + _int(2, OPSET)
        return b"".join(_int(1, IR_VERSION) + _text(2, "alignment") + _message(7, graph)
                        + _message(8, opset))


# -- the network ------------------------------------------------------------------------------


def network(w: dict[str, np.ndarray], layers: int, heads: int) -> bytes:
    """The serialized ONNX model of the BERT encoder with weights `w` (the safetensors names of
    all-MiniLM-L6-v2, as float32), mean pooling and unit length."""
    import numpy as np

    g = _Graph()

    def f32(array: np.ndarray) -> str:
        return g.const(np.asarray(array, dtype=np.float32))

    def i64(*values: int) -> str:
        return g.const(np.array(values, dtype=np.int64))

    def layer_norm(x: str, name: str) -> str:
        return g("LayerNormalization", x, f32(w[name + ".weight"]), f32(w[name + ".bias"]),
                 axis=-1, epsilon=1e-12)

    def dense(x: str, name: str) -> str:
        return g("Add", g("MatMul", x, f32(w[name + ".weight"].T)), f32(w[name + ".bias"]))

    dims = w["embeddings.word_embeddings.weight"].shape[1]
    head = dims // heads
    ids, mask = "input_ids", "attention_mask"
    length = g("Slice", g("Shape", ids), i64(1), i64(2))
    positions = g("Slice", f32(w["embeddings.position_embeddings.weight"]), i64(0), length, i64(0))
    x = g("Add", g("Gather", f32(w["embeddings.word_embeddings.weight"]), ids), positions)
    x = g("Add", x, f32(w["embeddings.token_type_embeddings.weight"][0]))
    x = layer_norm(x, "embeddings.LayerNorm")
    # -1e9 where a row is padding, added to the attention scores: [batch, 1, 1, length]
    blocked = g("Mul", g("Sub", f32(np.float32(1.0)), mask), f32(np.float32(-1e9)))
    blocked = g("Unsqueeze", blocked, i64(1, 2))
    split_heads, merge_heads = i64(0, 0, heads, head), i64(0, 0, dims)
    scale = np.float32(1.0 / np.sqrt(head))
    for layer in range(layers):
        p = f"encoder.layer.{layer}."
        a = p + "attention.self."
        # query, key and value in one product; the query's weights carry the scale 1/sqrt(head)
        qkv = np.concatenate([w[a + "query.weight"].T * scale, w[a + "key.weight"].T,
                              w[a + "value.weight"].T], axis=1)
        bias = np.concatenate([w[a + "query.bias"] * scale, w[a + "key.bias"], w[a + "value.bias"]])
        joined = g("Add", g("MatMul", x, f32(qkv)), f32(bias))
        q, k, v = (g("Slice", joined, i64(i * dims), i64((i + 1) * dims), i64(2)) for i in range(3))
        q = g("Transpose", g("Reshape", q, split_heads), perm=[0, 2, 1, 3])
        k = g("Transpose", g("Reshape", k, split_heads), perm=[0, 2, 3, 1])
        v = g("Transpose", g("Reshape", v, split_heads), perm=[0, 2, 1, 3])
        att = g("Softmax", g("Add", g("MatMul", q, k), blocked), axis=-1)
        ctx = g("Reshape", g("Transpose", g("MatMul", att, v), perm=[0, 2, 1, 3]), merge_heads)
        x = layer_norm(g("Add", x, dense(ctx, p + "attention.output.dense")),
                       p + "attention.output.LayerNorm")
        h = dense(x, p + "intermediate.dense")
        # exact GELU, as BERT: 0.5 h (1 + erf(h / sqrt 2))
        erf = g("Erf", g("Div", h, f32(np.float32(np.sqrt(2.0)))))
        h = g("Mul", g("Mul", h, g("Add", erf, f32(np.float32(1.0)))), f32(np.float32(0.5)))
        x = layer_norm(g("Add", x, dense(h, p + "output.dense")), p + "output.LayerNorm")
    summed = g("ReduceSum", g("Mul", x, g("Unsqueeze", mask, i64(2))), i64(1), keepdims=0)
    pooled = g("Div", summed, g("ReduceSum", mask, i64(1), keepdims=1))
    norm = g("Max", g("ReduceL2", pooled, i64(1), keepdims=1), f32(np.float32(1e-12)))
    g("Div", pooled, norm, out="vectors")
    return g.model([_value_info(ids, _INT64, ["batch", "length"]),
                    _value_info(mask, _FLOAT, ["batch", "length"])],
                   [_value_info("vectors", _FLOAT, ["batch", dims])])
