#!/usr/bin/env python3
"""Writes one ResNet-style 3x3 convolution (stride 1, padding 1, seeded weights, bias) as three ONNX graphs per shape:
direct_C.onnx (one Conv), wino_matmul_C.onnx and wino_conv_C.onnx (Winograd F(2x2,3x3) from standard ONNX ops: pad,
tile extraction, the input transform as a MatMul, the 16 frequency products as a batched MatMul or as a grouped 1x1
Conv, the output transform as a MatMul, and the 2x2 tiles put back). The question: can an exporter cut ResNet's
convolution work for ONNX Runtime by rewriting the graph, where ONNX Runtime has no Winograd kernel of its own on x86?
Time them with `SharpVision.Bench onnx --model wino_conv_C.onnx --compare direct_C.onnx` (docs/lab/2026-12-onnx-latency-log.md).
A lab probe, not part of SharpVision: it needs Debian's python3-onnx (`apt-get install python3-onnx`).
Usage: python3 bench/lab/winograd_probe.py OUT_DIR"""
import os, sys
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

BT = np.array([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]], np.float64)
G = np.array([[1, 0, 0], [.5, .5, .5], [.5, -.5, .5], [0, 0, 1]], np.float64)
AT = np.array([[1, 1, 1, 0], [0, 1, -1, -1]], np.float64)


def build(c, k, h, w, variant, seed=0):
    rng = np.random.default_rng(seed)
    weight = (rng.standard_normal((k, c, 3, 3)) * np.sqrt(2 / (9 * c))).astype(np.float32)
    bias = (rng.standard_normal(k) * 0.1).astype(np.float32)
    inits, nodes = [], []

    def const(name, array):
        inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(op, inputs, name, **attrs):
        nodes.append(helper.make_node(op, inputs, [name], **attrs))
        return name

    def i64(*values):
        return np.array(values, np.int64)

    if variant == "direct":
        node("Conv", ["x", const("w", weight), const("b", bias)], "y", pads=[1, 1, 1, 1], kernel_shape=[3, 3])
    else:
        th, tw = (h + 1) // 2, (w + 1) // 2
        t = th * tw
        xp = node("Pad", ["x", const("pads", i64(0, 0, 1, 1, 0, 0, 1 + 2 * th - h, 1 + 2 * tw - w))], "xp")
        # The 16 elements of every overlapping 4x4 tile (stride 2) as strided slices, in (u, v) order: [16, C, Th, Tw].
        tiles = [node("Slice", [xp, const(f"s{u}{v}", i64(u, v)), const(f"e{u}{v}", i64(u + 2 * th - 1, v + 2 * tw - 1)),
                                const(f"a{u}{v}", i64(2, 3)), const(f"p{u}{v}", i64(2, 2))], f"d{u}{v}")
                 for u in range(4) for v in range(4)]
        d = node("Reshape", [node("Concat", tiles, "d", axis=0), const("s_d", i64(16, c * t))], "d2")
        v = node("MatMul", [const("kb", np.kron(BT, BT).astype(np.float32)), d], "v")  # B^T d B for every tile
        u = np.einsum("ap,bq,kcpq->abkc", G, G, weight.astype(np.float64))  # G g G^T, per frequency: [4, 4, K, C]
        if variant == "wino_matmul":
            v = node("Reshape", [v, const("s_v", i64(16, c, t))], "v3")
            m = node("MatMul", [const("u", u.reshape(16, k, c).astype(np.float32)), v], "m")
        else:  # the 16 products as one grouped 1x1 convolution: ONNX Runtime prepacks its weights (NCHWc)
            v = node("Reshape", [v, const("s_v", i64(1, 16 * c, th, tw))], "v3")
            m = node("Conv", [v, const("u", u.reshape(16 * k, c, 1, 1).astype(np.float32))], "m", group=16, kernel_shape=[1, 1])
        m = node("Reshape", [m, const("s_m", i64(16, k * t))], "m2")
        y = node("MatMul", [const("ka", np.kron(AT, AT).astype(np.float32)), m], "y4")  # A^T M A: [4 = (dy, dx), K*T]
        y = node("Reshape", [y, const("s_y", i64(2, 2, k, th, tw))], "y5")
        y = node("Transpose", [y], "y6", perm=[2, 3, 0, 4, 1])
        y = node("Reshape", [y, const("s_out", i64(1, k, 2 * th, 2 * tw))], "y7")
        if 2 * th != h or 2 * tw != w:
            y = node("Slice", [y, const("crop_s", i64(0, 0)), const("crop_e", i64(h, w)), const("crop_a", i64(2, 3))], "y8")
        node("Add", [y, const("b", bias.reshape(1, k, 1, 1))], "y")
    graph = helper.make_graph(nodes, variant, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, c, h, w])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, k, h, w])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.splitlines()[-1])
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for channels, size in [(64, 56), (128, 28), (256, 14), (512, 7)]:  # ResNet-18's four stages at 224x224
        for variant in ("direct", "wino_matmul", "wino_conv"):
            onnx.save(build(channels, channels, size, size, variant), os.path.join(out, f"{variant}_{channels}.onnx"))
    print(f"wrote direct_C, wino_matmul_C and wino_conv_C for C = 64, 128, 256, 512 to {out}")


if __name__ == "__main__":
    main()
