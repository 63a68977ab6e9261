namespace SharpVision.Onnx;

/// <summary>ONNX export for the <see cref="Learner"/> (this package's part of the short road: train, then deploy anywhere).</summary>
public static class LearnerOnnxExtensions
{
    /// <summary>
    /// Exports the learner's best model to <paramref name="onnxPath"/> (opset 17, dynamic batch, classes and
    /// preprocessing in the metadata) and checks it against libtorch on ONNX Runtime.
    /// </summary>
    /// <returns>The parity check: max |difference| of the logits and whether every argmax agrees.</returns>
    /// <exception cref="InvalidDataException">The exported model does not reproduce the original within <see cref="OnnxParityResult.Tolerance"/>.</exception>
    public static OnnxParityResult ExportOnnx(this Learner learner, string onnxPath, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(learner);
        var parity = OnnxExporter.ExportFile(learner.ModelPath, onnxPath, options, verify: true)!;
        if (!parity.Passed) throw new InvalidDataException($"{onnxPath}: the exported model differs from the original ({parity})");
        return parity;
    }
}
