using SharpVision.Engine;

namespace SharpVision.Models;

/// <summary>
/// Multi-scale pooled features ("hypercolumns"): the outputs of chosen intermediate blocks are globally
/// average-pooled and concatenated after the model's own pooled features, so the head also sees mid-level texture and
/// colour statistics. ImageNet's last block is tuned to ImageNet's objects; for another domain (food photos) the
/// middle blocks often transfer better, which matters most with a frozen backbone.
/// </summary>
public static class FeatureTaps
{
    /// <summary>
    /// Resolves <paramref name="taps"/> (module paths such as "features.13") against the tappable blocks of a model,
    /// given as (path, output channels) in forward order. Returns the sorted, distinct block indices.
    /// </summary>
    /// <exception cref="ArgumentException">A path is not a tappable block of this model; the message lists them.</exception>
    public static int[] Resolve(string model, IReadOnlyList<string>? taps, IReadOnlyList<(string Path, int Channels)> blocks)
    {
        if (taps is null || taps.Count == 0) return Array.Empty<int>();
        var indices = new SortedSet<int>();
        foreach (var tap in taps)
        {
            var path = tap?.Trim() ?? "";
            var index = -1;
            for (var i = 0; i < blocks.Count; i++)
            {
                if (string.Equals(blocks[i].Path, path, StringComparison.Ordinal)) index = i;
            }
            if (index < 0)
            {
                throw new ArgumentException(
                    $"{model}: feature tap '{tap}' is not a block whose output can be pooled; valid taps: {string.Join(", ", blocks.Select(b => b.Path))}",
                    nameof(taps));
            }
            indices.Add(index);
        }
        return indices.ToArray();
    }

    /// <summary>Global average pooling of an NCHW map to [N, C].</summary>
    internal static Tensor Pool(Tensor map)
    {
        using var p = Functional.AdaptiveAvgPool2d(map, (1, 1));
        return p.Flatten(1);
    }

    /// <summary>Concatenates the pooled parts along the feature axis, disposes them and empties the list.</summary>
    internal static Tensor Concat(List<Tensor> parts)
    {
        try
        {
            return parts.Count == 1 ? parts[0].Alias() : Tensor.Cat(parts, 1);
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
            parts.Clear();
        }
    }
}
