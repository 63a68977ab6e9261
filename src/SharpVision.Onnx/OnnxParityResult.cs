namespace SharpVision.Onnx;

/// <summary>How closely ONNX Runtime reproduces libtorch's eval-mode outputs on the same random inputs.</summary>
/// <param name="MaxAbsDifference">Largest |ONNX Runtime − libtorch| over every output of every batch.</param>
/// <param name="SameArgmax">Whether every row has the same arg-max class on both.</param>
/// <param name="Rows">Rows compared (over all batches).</param>
/// <param name="BatchSizes">The batch sizes run.</param>
/// <param name="MaxAbsReference">Largest |libtorch output|, the scale the difference is measured against.</param>
public sealed record OnnxParityResult(double MaxAbsDifference, bool SameArgmax, int Rows, IReadOnlyList<int> BatchSizes, double MaxAbsReference)
{
    /// <summary>The tolerance of the parity check.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>True when the outputs agree within <see cref="Tolerance"/> and on the arg-max.</summary>
    public bool Passed => MaxAbsDifference <= Tolerance && SameArgmax;

    /// <inheritdoc />
    public override string ToString() =>
        $"max |ONNX Runtime - libtorch| = {MaxAbsDifference:0.###e+0} (outputs up to {MaxAbsReference:0.###}) over {Rows} rows (batches {string.Join(", ", BatchSizes)}), arg-max {(SameArgmax ? "identical" : "DIFFERS")}";
}
