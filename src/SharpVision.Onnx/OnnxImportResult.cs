using SharpVision.Data;

namespace SharpVision.Onnx;

/// <summary>What <see cref="OnnxWeightsImporter.Import"/> did.</summary>
/// <param name="Architecture">The zoo model the weights were mapped onto.</param>
/// <param name="Convolutions">Conv nodes mapped (each with its BatchNormalization when it has one).</param>
/// <param name="Dense">Gemm nodes mapped onto Linear layers.</param>
/// <param name="Unmapped">Zoo layers the file has no weights for (e.g. the classifier of a backbone-only file).</param>
/// <param name="Verification">ONNX Runtime's output against the imported model's on the same inputs (before folding any preprocessing).</param>
/// <param name="Compared">What was compared: "features" or "logits".</param>
/// <param name="Normalization">The normalisation the imported weights expect (ImageNet after folding a preprocessing graph), or null: the ONNX model's own input convention.</param>
public sealed record OnnxImportResult(string Architecture, int Convolutions, int Dense, IReadOnlyList<string> Unmapped,
    OnnxParityResult Verification, string Compared, Normalization? Normalization);
