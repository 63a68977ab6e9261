using SharpVision.Models;

namespace SharpVision.Cli.Commands;

/// <summary>Parses the open-set score named on the command line (<c>--method</c>, <c>--unknown-method</c>).</summary>
public static class UnknownMethodOption
{
    /// <summary>"auto" gives null (the calibrator chooses); otherwise a name of <see cref="UnknownScoreNames"/>.</summary>
    /// <exception cref="ArgumentException">Neither auto nor a score name; the message names <paramref name="option"/>.</exception>
    public static UnknownScoreKind? Parse(string text, string option)
    {
        if (string.Equals(text.Trim(), "auto", StringComparison.OrdinalIgnoreCase)) return null;
        return UnknownScoreNames.TryParse(text, out var kind) ? kind
            : throw new ArgumentException($"{option} must be auto, {string.Join(", ", UnknownScoreNames.All.Select(UnknownScoreNames.Name))}; got '{text}'");
    }
}
