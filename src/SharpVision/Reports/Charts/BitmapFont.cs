namespace SharpVision.Reports.Charts;

/// <summary>
/// An anti-aliased bitmap font for printable ASCII, Latin-1, Latin Extended-A (so class names such as "Túrós rétes"
/// or "Dobos torta" render) and a few typographic symbols (– — ‘ ’ “ ” • … → ≈ ≤ ≥ € ✓), embedded as data so charts
/// render identically on every machine without a font engine. Other characters draw as '?'.
/// </summary>
public sealed class BitmapFont
{
    private const int First = 32;
    private const int AsciiCount = 95;
    private readonly Dictionary<char, int> _index;
    private readonly int[] _advances;
    private readonly int[] _offsets;
    private readonly int[] _widths;
    private readonly int[] _starts;
    private readonly byte[] _coverage;

    internal BitmapFont(string characters, int lineHeight, int ascent, int[] advances, int[] offsets, int[] widths, string coverage)
    {
        var count = characters.Length;
        if (advances.Length != count || offsets.Length != count || widths.Length != count)
            throw new ArgumentException($"font tables must have {count} entries, one per character");
        for (var c = 0; c < AsciiCount; c++)
            if (characters[c] != (char)(First + c)) throw new ArgumentException("the font's table must start with printable ASCII in order");
        _index = new Dictionary<char, int>(count);
        for (var i = 0; i < count; i++) _index[characters[i]] = i;
        LineHeight = lineHeight;
        Ascent = ascent;
        _advances = advances;
        _offsets = offsets;
        _widths = widths;
        _starts = new int[count];
        var total = 0;
        for (var i = 0; i < count; i++)
        {
            _starts[i] = total;
            total += widths[i] * lineHeight;
        }
        // Coverage is packed 4 bits per pixel; expand to 0–255 once.
        var packed = Convert.FromBase64String(coverage);
        if (packed.Length * 2 < total) throw new ArgumentException($"font coverage has {packed.Length * 2} pixels, needs {total}");
        _coverage = new byte[total];
        for (var i = 0; i < total; i++)
        {
            var nibble = (i & 1) == 0 ? packed[i >> 1] >> 4 : packed[i >> 1] & 0xF;
            _coverage[i] = (byte)(nibble * 17);
        }
    }

    /// <summary>DejaVu Sans 12 px: axis labels, ticks, legends, captions.</summary>
    public static BitmapFont Regular => FontData.Regular;

    /// <summary>DejaVu Sans Bold 12 px: emphasis.</summary>
    public static BitmapFont Bold => FontData.Bold;

    /// <summary>DejaVu Sans Bold 17 px: chart titles.</summary>
    public static BitmapFont Title => FontData.Title;

    /// <summary>Height of one line in pixels (ascent + descent).</summary>
    public int LineHeight { get; }

    /// <summary>Pixels from the top of a line to the baseline.</summary>
    public int Ascent { get; }

    /// <summary>Width of <paramref name="text"/> in pixels at the given integer scale.</summary>
    public int Measure(string text, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        var w = 0;
        foreach (var ch in text) w += _advances[Index(ch)];
        return w * scale;
    }

    /// <summary>Shortens <paramref name="text"/> with "..." so that it fits in <paramref name="maxWidth"/> pixels.</summary>
    public string Fit(string text, int maxWidth, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Measure(text, scale) <= maxWidth) return text;
        for (var n = text.Length - 1; n > 0; n--)
        {
            var candidate = text[..n].TrimEnd() + "...";
            if (Measure(candidate, scale) <= maxWidth) return candidate;
        }
        return "";
    }

    internal int Advance(char ch) => _advances[Index(ch)];

    /// <summary>The glyph's bitmap: x offset from the pen, width, and coverage rows (width × <see cref="LineHeight"/>).</summary>
    internal (int Offset, int Width, ReadOnlyMemory<byte> Coverage) Glyph(char ch)
    {
        var i = Index(ch);
        return (_offsets[i], _widths[i], _coverage.AsMemory(_starts[i], _widths[i] * LineHeight));
    }

    /// <summary>True when the font has a glyph of its own for <paramref name="ch"/> (else it draws '?').</summary>
    public bool Covers(char ch) => _index.ContainsKey(ch);

    private int Index(char ch) => ch is >= (char)First and < (char)(First + AsciiCount) ? ch - First : _index.TryGetValue(ch, out var i) ? i : '?' - First;
}
