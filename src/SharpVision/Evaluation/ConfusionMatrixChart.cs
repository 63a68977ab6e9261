using System.Globalization;
using SharpVision.Imaging;
using SharpVision.Reports.Charts;

namespace SharpVision.Evaluation;

/// <summary>The confusion matrix as a heatmap: colours by row-normalised share (per-class recall), counts in the cells.</summary>
public static class ConfusionMatrixChart
{
    /// <summary>Renders the matrix; rows are the actual class, columns the predicted one.</summary>
    public static RgbImage Render(ConfusionMatrix matrix, string? title = "Confusion matrix")
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.ClassNames.Count == 0) throw new ArgumentException("confusion matrix has no classes", nameof(matrix));
        var text = matrix.Counts.Select(r => r.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return Heatmap.Render(matrix.ClassNames, matrix.ClassNames, matrix.Normalized, text, title, "predicted", "actual", Colormap.Blues);
    }
}
