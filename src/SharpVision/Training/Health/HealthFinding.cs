using System.Text.Json;

namespace SharpVision.Training.Health;

/// <summary>One problem the health monitor found: what it saw (evidence) and what to do about it (advice).</summary>
/// <param name="Check">The check that fired.</param>
/// <param name="Epoch">The epoch (1-based) it was found in.</param>
/// <param name="Step">The optimizer step (global) it was found at.</param>
/// <param name="Layer">The layer concerned, or null for the whole model.</param>
/// <param name="Evidence">What was measured, e.g. "98% of ReLU units never fire on the probe batch".</param>
/// <param name="Advice">A concrete next step, e.g. "lower --lr (lr-find suggests 2e-4) or use a model with BatchNorm".</param>
public sealed record HealthFinding(HealthCheck Check, int Epoch, long Step, string? Layer, string Evidence, string Advice)
{
    /// <summary>The console line: "layer: evidence; advice".</summary>
    public string Message => (Layer is null ? "" : Layer + ": ") + Evidence + "; " + Advice;

    /// <summary>
    /// The findings a monitored run recorded in its run.json ("health"), or null when the folder has no run.json or the
    /// run was not monitored (--health off, or made before the monitor existed).
    /// </summary>
    public static IReadOnlyList<HealthFinding>? LoadFromRunFolder(string runDirectory)
    {
        var path = Path.Combine(runDirectory, "run.json");
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (!doc.RootElement.TryGetProperty("health", out var health) || health.ValueKind != JsonValueKind.Array) return null;
            return health.EnumerateArray().Select(e => new HealthFinding(
                Enum.Parse<HealthCheck>(e.GetProperty("check").GetString() ?? ""),
                e.GetProperty("epoch").GetInt32(),
                e.GetProperty("step").GetInt64(),
                e.TryGetProperty("layer", out var layer) ? layer.GetString() : null,
                e.GetProperty("evidence").GetString() ?? "",
                e.GetProperty("advice").GetString() ?? "")).ToList();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: the \"health\" entry is not in the format training writes ({ex.Message})");
        }
    }

    /// <summary>Key for reporting each kind of problem once per run.</summary>
    internal string Key => Check.ToString();
}
