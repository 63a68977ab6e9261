namespace SharpVision.Data;

/// <summary>When a file was found unusable.</summary>
public enum SkipStage
{
    /// <summary>While opening the dataset (extension or header check).</summary>
    Open = 0,
    /// <summary>While decoding it for a batch (e.g. a truncated JPEG whose header was fine).</summary>
    Load = 1,
}

/// <summary>One file left out of training and why.</summary>
/// <param name="Path">The file (or "idx:123"-style name).</param>
/// <param name="Reason">Why it was skipped ("truncated JPEG (…)", "unsupported format: .gif").</param>
/// <param name="Stage">When it was found.</param>
public sealed record SkippedFile(string Path, string Reason, SkipStage Stage);
