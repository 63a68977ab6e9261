namespace SharpVision.Layers;

/// <summary>How a convolution pads its input.</summary>
public enum PaddingMode
{
    /// <summary>Fixed zero padding on each side (PyTorch's int padding).</summary>
    Explicit,
    /// <summary>No padding (Keras "valid").</summary>
    Valid,
    /// <summary>
    /// Output size = ceil(input / stride) (Keras/TensorFlow "same"); when the total padding is odd the extra row and
    /// column go to the bottom and right, as TensorFlow does.
    /// </summary>
    Same,
}

/// <summary>Convolution padding: an int or (h, w) pair, "same" or "valid".</summary>
/// <param name="Mode">Kind of padding.</param>
/// <param name="H">Rows added at the top and bottom (explicit mode).</param>
/// <param name="W">Columns added left and right (explicit mode).</param>
public readonly record struct Padding(PaddingMode Mode, int H = 0, int W = 0)
{
    /// <summary>Keras "same".</summary>
    public static Padding Same => new(PaddingMode.Same);

    /// <summary>Keras "valid" (no padding).</summary>
    public static Padding Valid => new(PaddingMode.Valid);

    /// <summary>Explicit padding on both axes.</summary>
    public static implicit operator Padding(int both) => Explicit(both, both);

    /// <summary>Explicit (h, w) padding.</summary>
    public static implicit operator Padding((int H, int W) hw) => Explicit(hw.H, hw.W);

    /// <summary>"same", "valid" or an integer.</summary>
    public static implicit operator Padding(string text) => Parse(text);

    /// <summary>Explicit padding.</summary>
    public static Padding Explicit(int h, int w)
    {
        if (h < 0 || w < 0) throw new ArgumentOutOfRangeException(nameof(h), $"padding must be non-negative, got ({h}, {w})");
        return new Padding(PaddingMode.Explicit, h, w);
    }

    /// <summary>Parses "same", "valid" or a non-negative integer.</summary>
    public static Padding Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToLowerInvariant();
        if (t == "same") return Same;
        if (t == "valid") return Valid;
        if (int.TryParse(t, out var n) && n >= 0) return Explicit(n, n);
        throw new ArgumentException($"padding must be \"same\", \"valid\" or a non-negative integer, got \"{text}\"", nameof(text));
    }

    /// <summary>
    /// The (top, bottom, left, right) zero padding for an input of the given size.
    /// </summary>
    public (int Top, int Bottom, int Left, int Right) Resolve(long height, long width, Size2 kernel, Size2 stride, Size2 dilation)
    {
        switch (Mode)
        {
            case PaddingMode.Valid: return (0, 0, 0, 0);
            case PaddingMode.Explicit: return (H, H, W, W);
            default:
                var ph = SameTotal(height, kernel.H, stride.H, dilation.H);
                var pw = SameTotal(width, kernel.W, stride.W, dilation.W);
                return (ph / 2, ph - ph / 2, pw / 2, pw - pw / 2);
        }

        static int SameTotal(long size, int k, int s, int d)
        {
            var output = (size + s - 1) / s;
            var needed = (output - 1) * s + (long)(k - 1) * d + 1 - size;
            return (int)Math.Max(needed, 0);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Mode switch
    {
        PaddingMode.Same => "same",
        PaddingMode.Valid => "valid",
        _ => $"({H}, {W})",
    };
}
