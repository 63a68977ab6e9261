using System.Text;

namespace SharpVision.Transfer.Pretrained;

/// <summary>What <see cref="PretrainedWeights.Load"/> did with each tensor name.</summary>
/// <param name="Source">The weights file that was read.</param>
/// <param name="Loaded">Model names whose values were copied from the file.</param>
/// <param name="SkippedHead">File tensors of the old classification head whose shapes do not fit the new head (e.g. 1000 ImageNet classes vs 5).</param>
/// <param name="NewlyInitialised">Model names left at their fresh initialisation because the file had nothing that fits (the new head).</param>
/// <param name="Mismatched">Backbone names present on both sides with different shapes, as "name: model [..], file [..]".</param>
/// <param name="Missing">Backbone names the model has and the file lacks (num_batches_tracked is never reported).</param>
/// <param name="Unexpected">File names the model does not have.</param>
public sealed record PretrainedLoadReport(
    string Source,
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> SkippedHead,
    IReadOnlyList<string> NewlyInitialised,
    IReadOnlyList<string> Mismatched,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected)
{
    /// <summary>True when the whole backbone was loaded (only the head may be new).</summary>
    public bool BackboneComplete => Mismatched.Count == 0 && Missing.Count == 0;

    /// <summary>A short multi-line summary with counts, listing the names of everything that was not loaded.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"pretrained weights: {Source}");
        sb.AppendLine($"  loaded: {Loaded.Count} tensors");
        Line(sb, "skipped (old head)", SkippedHead);
        Line(sb, "newly initialised (new head)", NewlyInitialised);
        Line(sb, "shape mismatch", Mismatched);
        Line(sb, "missing from the file", Missing);
        Line(sb, "unexpected in the file", Unexpected);
        return sb.ToString().TrimEnd();

        static void Line(StringBuilder sb, string label, IReadOnlyList<string> names)
        {
            if (names.Count > 0) sb.AppendLine($"  {label}: {names.Count} ({string.Join(", ", names)})");
        }
    }
}
