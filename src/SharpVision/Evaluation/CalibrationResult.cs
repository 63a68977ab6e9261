namespace SharpVision.Evaluation;

/// <summary>Calibration of the confidences: expected calibration error and the reliability-diagram bins.</summary>
public sealed class CalibrationResult
{
    /// <summary>Expected calibration error: Σ (n_b / N) · |accuracy_b − confidence_b| over equal-width bins.</summary>
    public double ExpectedCalibrationError { get; init; }

    /// <summary>Maximum calibration error: the largest |accuracy_b − confidence_b| over non-empty bins.</summary>
    public double MaxCalibrationError { get; init; }

    /// <summary>The bins, from confidence 0 to 1.</summary>
    public CalibrationBin[] Bins { get; init; } = [];
}
