using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpVision.Bench;

/// <summary>
/// <c>SharpVision.Bench peak</c>: this core's float32 multiply-accumulate peak, measured with twelve independent fused
/// multiply-add chains of the widest vectors the CPU has (enough to cover the FMA latency on current x86 cores). It is
/// the roofline a convolution's latency is read against: a batch-1 model cannot run faster than its mult-adds at this
/// rate on one thread. Prints one RESULT line: <c>peak_gmacs=</c> per core, the vector width, best of 5 rounds.
/// </summary>
public static class FmaPeakBenchmark
{
    /// <summary>Runs the measurement.</summary>
    public static int Run(string[] args)
    {
        _ = args;
        var width = Avx512F.IsSupported ? 512 : Fma.IsSupported ? 256 : 0;
        if (width == 0) { Console.Error.WriteLine("peak: this CPU has neither FMA3 nor AVX-512; nothing to measure"); return 1; }
        Func<long, float> measure = width == 512 ? Chains512 : Chains256;
        const long iterations = 50_000_000;
        measure(1_000_000); // JIT to full optimisation and the clock up
        double best = 0;
        var sink = 0f;
        for (var round = 0; round < 5; round++)
        {
            var sw = Stopwatch.StartNew();
            sink += measure(iterations);
            best = Math.Max(best, iterations * 12.0 * (width / 32) / sw.Elapsed.TotalSeconds / 1e9);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT peak_gmacs={best:0.0} vector_bits={width} checksum={(sink == 0 ? 0 : 1)}"));
        return 0;
    }

    private static float Chains512(long n)
    {
        var m = Vector512.Create(1.0000001f);
        var c = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(0f), a1 = Vector512.Create(1f), a2 = Vector512.Create(2f), a3 = Vector512.Create(3f),
            a4 = Vector512.Create(4f), a5 = Vector512.Create(5f), a6 = Vector512.Create(6f), a7 = Vector512.Create(7f),
            a8 = Vector512.Create(8f), a9 = Vector512.Create(9f), a10 = Vector512.Create(10f), a11 = Vector512.Create(11f);
        for (long i = 0; i < n; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, m, c); a1 = Avx512F.FusedMultiplyAdd(a1, m, c); a2 = Avx512F.FusedMultiplyAdd(a2, m, c);
            a3 = Avx512F.FusedMultiplyAdd(a3, m, c); a4 = Avx512F.FusedMultiplyAdd(a4, m, c); a5 = Avx512F.FusedMultiplyAdd(a5, m, c);
            a6 = Avx512F.FusedMultiplyAdd(a6, m, c); a7 = Avx512F.FusedMultiplyAdd(a7, m, c); a8 = Avx512F.FusedMultiplyAdd(a8, m, c);
            a9 = Avx512F.FusedMultiplyAdd(a9, m, c); a10 = Avx512F.FusedMultiplyAdd(a10, m, c); a11 = Avx512F.FusedMultiplyAdd(a11, m, c);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    private static float Chains256(long n)
    {
        var m = Vector256.Create(1.0000001f);
        var c = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(0f), a1 = Vector256.Create(1f), a2 = Vector256.Create(2f), a3 = Vector256.Create(3f),
            a4 = Vector256.Create(4f), a5 = Vector256.Create(5f), a6 = Vector256.Create(6f), a7 = Vector256.Create(7f),
            a8 = Vector256.Create(8f), a9 = Vector256.Create(9f), a10 = Vector256.Create(10f), a11 = Vector256.Create(11f);
        for (long i = 0; i < n; i++)
        {
            a0 = Fma.MultiplyAdd(a0, m, c); a1 = Fma.MultiplyAdd(a1, m, c); a2 = Fma.MultiplyAdd(a2, m, c);
            a3 = Fma.MultiplyAdd(a3, m, c); a4 = Fma.MultiplyAdd(a4, m, c); a5 = Fma.MultiplyAdd(a5, m, c);
            a6 = Fma.MultiplyAdd(a6, m, c); a7 = Fma.MultiplyAdd(a7, m, c); a8 = Fma.MultiplyAdd(a8, m, c);
            a9 = Fma.MultiplyAdd(a9, m, c); a10 = Fma.MultiplyAdd(a10, m, c); a11 = Fma.MultiplyAdd(a11, m, c);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
