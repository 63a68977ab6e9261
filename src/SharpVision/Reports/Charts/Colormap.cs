namespace SharpVision.Reports.Charts;

/// <summary>A continuous colour scale: maps t ∈ [0, 1] to a colour by piecewise-linear interpolation of anchors.</summary>
public sealed class Colormap
{
    private readonly Color[] _anchors;

    private Colormap(string name, Color[] anchors)
    {
        Name = name;
        _anchors = anchors;
    }

    /// <summary>Creates a colour scale from evenly spaced anchor colours (at least two).</summary>
    public static Colormap FromAnchors(string name, IReadOnlyList<Color> anchors)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        if (anchors.Count < 2) throw new ArgumentException($"colormap '{name}' needs at least 2 anchors, got {anchors.Count}", nameof(anchors));
        return new Colormap(name, anchors.ToArray());
    }

    /// <summary>The scale's name.</summary>
    public string Name { get; }

    /// <summary>Viridis (perceptually uniform, colour-blind safe; matplotlib's default) from its 11 reference stops.</summary>
    public static Colormap Viridis { get; } = FromHex("viridis",
        "#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725");

    /// <summary>Jet (blue → cyan → yellow → red), the classic Grad-CAM overlay scale.</summary>
    public static Colormap Jet { get; } = FromHex("jet",
        "#000080", "#0000ff", "#0080ff", "#00ffff", "#80ff80", "#ffff00", "#ff8000", "#ff0000", "#800000");

    /// <summary>ColorBrewer Blues (white → dark blue), for confusion matrices.</summary>
    public static Colormap Blues { get; } = FromHex("blues",
        "#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b");

    /// <summary>Greys (black → white), for feature maps.</summary>
    public static Colormap Gray { get; } = FromHex("gray", "#000000", "#ffffff");

    /// <summary>The colour at t (clamped to [0, 1]; NaN maps to the low end).</summary>
    public Color Map(double t)
    {
        if (double.IsNaN(t)) t = 0;
        t = Math.Clamp(t, 0, 1) * (_anchors.Length - 1);
        var i = Math.Min((int)t, _anchors.Length - 2);
        return Color.Lerp(_anchors[i], _anchors[i + 1], t - i);
    }

    private static Colormap FromHex(string name, params string[] hex) => new(name, hex.Select(Color.FromHex).ToArray());
}
