using System.Globalization;

namespace SharpVision.Reports.Charts;

/// <summary>An opaque 8-bit RGB colour.</summary>
/// <param name="R">Red, 0–255.</param>
/// <param name="G">Green, 0–255.</param>
/// <param name="B">Blue, 0–255.</param>
public readonly record struct Color(byte R, byte G, byte B)
{
    /// <summary>White.</summary>
    public static Color White => new(255, 255, 255);

    /// <summary>Black.</summary>
    public static Color Black => new(0, 0, 0);

    /// <summary>Dark grey for text and axes.</summary>
    public static Color Ink => new(34, 34, 34);

    /// <summary>Mid grey for secondary text.</summary>
    public static Color Gray => new(110, 110, 110);

    /// <summary>Light grey for grid lines.</summary>
    public static Color Grid => new(228, 228, 228);

    /// <summary>Green used for correct predictions.</summary>
    public static Color Correct => new(44, 160, 44);

    /// <summary>Red used for wrong predictions.</summary>
    public static Color Wrong => new(214, 39, 40);

    /// <summary>The Tableau-10 qualitative palette (the matplotlib default cycle), for series.</summary>
    public static IReadOnlyList<Color> Palette { get; } =
    [
        FromHex("#1f77b4"), FromHex("#ff7f0e"), FromHex("#2ca02c"), FromHex("#d62728"), FromHex("#9467bd"),
        FromHex("#8c564b"), FromHex("#e377c2"), FromHex("#7f7f7f"), FromHex("#bcbd22"), FromHex("#17becf"),
    ];

    /// <summary>The palette colour for series <paramref name="index"/> (cycles).</summary>
    public static Color Series(int index) => Palette[((index % Palette.Count) + Palette.Count) % Palette.Count];

    /// <summary>Parses "#rrggbb" (or "rrggbb").</summary>
    public static Color FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var s = hex.StartsWith('#') ? hex[1..] : hex;
        if (s.Length != 6 || !int.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v))
            throw new FormatException($"colour must be #rrggbb, got '{hex}'");
        return new Color((byte)(v >> 16), (byte)(v >> 8), (byte)v);
    }

    /// <summary>Linear interpolation between two colours (t clamped to [0, 1]).</summary>
    public static Color Lerp(Color a, Color b, double t)
    {
        t = Math.Clamp(t, 0, 1);
        return new Color(
            (byte)Math.Round(a.R + (b.R - a.R) * t),
            (byte)Math.Round(a.G + (b.G - a.G) * t),
            (byte)Math.Round(a.B + (b.B - a.B) * t));
    }

    /// <summary>Relative luminance in [0, 1] (Rec. 709 weights on gamma-encoded values; enough to pick text colour).</summary>
    public double Luminance => (0.2126 * R + 0.7152 * G + 0.0722 * B) / 255.0;

    /// <summary>Black or white, whichever reads better on this colour.</summary>
    public Color ContrastingText => Luminance > 0.55 ? Ink : White;

    /// <summary>"#rrggbb".</summary>
    public string ToHex() => $"#{R:x2}{G:x2}{B:x2}";
}
