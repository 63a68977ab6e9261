namespace SharpVision.Training;

/// <summary>Whether a metric improves upwards (accuracy) or downwards (loss).</summary>
public static class MetricDirection
{
    /// <summary>True for accuracy-like metrics (accuracy, top-k, f1, precision, recall, auc), false for losses and errors.</summary>
    public static bool IsMaximized(string metric)
    {
        var m = metric.ToLowerInvariant();
        return m.Contains("acc") || m.Contains("top") || m.Contains("f1") || m.Contains("precision") || m.Contains("recall") || m.Contains("auc");
    }
}
