namespace SharpVision.Engine.Distributed;

/// <summary>How <see cref="GradientReducer"/> puts gradient buckets on the wire (mirrors native/src/reducer.cpp).</summary>
public enum GradientCompression
{
    /// <summary>Buckets are all-reduced in their own dtype.</summary>
    None = 0,

    /// <summary>
    /// Float32/float64 buckets are divided by the world size, cast to fp16, all-reduced and cast back (PyTorch DDP's
    /// fp16_compress_hook): half the bytes on the wire, about 3 significant digits per gradient element.
    /// </summary>
    Fp16 = 1,
}
