namespace SharpVision.Data;

/// <summary>
/// SplitMix64: a tiny, fast generator whose sequence is fixed forever (unlike <see cref="Random"/>, whose algorithm
/// may change between runtimes), so that a seed reproduces the same data order on every machine and version.
/// </summary>
internal sealed class SeededRandom
{
    private ulong state;

    /// <summary>A generator for the stream identified by (seed, stream, substream).</summary>
    internal SeededRandom(long seed, long stream = 0, long substream = 0)
    {
        state = Mix((ulong)seed ^ Mix((ulong)stream * 0x9E3779B97F4A7C15UL + 1) ^ Mix((ulong)substream * 0xD1B54A32D192ED03UL + 2));
    }

    /// <summary>The next 64 random bits.</summary>
    internal ulong NextUInt64()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>Uniform integer in [0, n) without modulo bias.</summary>
    internal int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must be positive");
        var limit = ulong.MaxValue - ulong.MaxValue % (ulong)n;
        ulong r;
        do r = NextUInt64(); while (r >= limit);
        return (int)(r % (ulong)n);
    }

    /// <summary>Uniform double in [0, 1).</summary>
    internal double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Fisher–Yates shuffle in place.</summary>
    internal void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
