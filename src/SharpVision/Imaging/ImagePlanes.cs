using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpVision.Imaging;

/// <summary>Interleaved (HWC) ↔ planar (CHW) pixel layout conversion.</summary>
public static class ImagePlanes
{
    // pshufb masks that gather the R, G and B bytes of 16 interleaved pixels (48 bytes in three 16-byte blocks);
    // 0x80 zeroes a lane, so the three partial results can be OR-ed together.
    private static readonly Vector128<byte>[] Masks = BuildMasks();

    /// <summary>
    /// Splits interleaved RGB bytes into three planes (what an NCHW tensor needs), 16 pixels per step with SSSE3
    /// byte shuffles where available.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void DeinterleaveRgb(ReadOnlySpan<byte> rgb, Span<byte> r, Span<byte> g, Span<byte> b)
    {
        var n = r.Length;
        if (g.Length != n || b.Length != n || rgb.Length < n * 3)
            throw new ArgumentException($"planes of {r.Length}/{g.Length}/{b.Length} bytes do not match {rgb.Length} interleaved bytes");
        var i = 0;
        fixed (byte* s = rgb)
        fixed (byte* pr = r)
        fixed (byte* pg = g)
        fixed (byte* pb = b)
        {
            if (Ssse3.IsSupported)
            {
                var m = Masks;
                for (; i <= n - 16; i += 16)
                {
                    var p = s + i * 3;
                    var x0 = Vector128.Load(p);
                    var x1 = Vector128.Load(p + 16);
                    var x2 = Vector128.Load(p + 32);
                    Vector128.Store(Ssse3.Shuffle(x0, m[0]) | Ssse3.Shuffle(x1, m[1]) | Ssse3.Shuffle(x2, m[2]), pr + i);
                    Vector128.Store(Ssse3.Shuffle(x0, m[3]) | Ssse3.Shuffle(x1, m[4]) | Ssse3.Shuffle(x2, m[5]), pg + i);
                    Vector128.Store(Ssse3.Shuffle(x0, m[6]) | Ssse3.Shuffle(x1, m[7]) | Ssse3.Shuffle(x2, m[8]), pb + i);
                }
            }
            for (; i < n; i++)
            {
                pr[i] = s[i * 3];
                pg[i] = s[i * 3 + 1];
                pb[i] = s[i * 3 + 2];
            }
        }
    }

    private static Vector128<byte>[] BuildMasks()
    {
        var masks = new Vector128<byte>[9];
        var lanes = new byte[16];
        for (var channel = 0; channel < 3; channel++)
        {
            for (var block = 0; block < 3; block++)
            {
                for (var pixel = 0; pixel < 16; pixel++)
                {
                    var source = pixel * 3 + channel - block * 16;
                    lanes[pixel] = source is >= 0 and < 16 ? (byte)source : (byte)0x80;
                }
                masks[channel * 3 + block] = Vector128.Create(lanes);
            }
        }
        return masks;
    }
}
