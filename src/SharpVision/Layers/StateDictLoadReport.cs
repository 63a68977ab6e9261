namespace SharpVision.Layers;

/// <summary>What <see cref="Module.LoadStateDict"/> did: the names it loaded and the names it could not match.</summary>
/// <param name="Loaded">Names whose values were copied into the module.</param>
/// <param name="Missing">Names the module has but the state dict lacks (num_batches_tracked is never reported).</param>
/// <param name="Unexpected">Names in the state dict that the module does not have.</param>
/// <param name="ShapeMismatched">Names present on both sides with different shapes, as "name: expected [..], got [..]".</param>
public sealed record StateDictLoadReport(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> ShapeMismatched)
{
    /// <summary>True when every name matched with the right shape.</summary>
    public bool IsComplete => Missing.Count == 0 && Unexpected.Count == 0 && ShapeMismatched.Count == 0;

    /// <summary>A multi-line description of the problems (empty when complete).</summary>
    public string Describe()
    {
        var lines = new List<string>();
        if (Missing.Count > 0) lines.Add($"missing ({Missing.Count}): {string.Join(", ", Missing)}");
        if (Unexpected.Count > 0) lines.Add($"unexpected ({Unexpected.Count}): {string.Join(", ", Unexpected)}");
        if (ShapeMismatched.Count > 0) lines.Add($"shape mismatch ({ShapeMismatched.Count}): {string.Join("; ", ShapeMismatched)}");
        return string.Join(Environment.NewLine, lines);
    }
}
