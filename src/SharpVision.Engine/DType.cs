namespace SharpVision.Engine;

/// <summary>Element types of a <see cref="Tensor"/>. Values equal libtorch's <c>c10::ScalarType</c> codes.</summary>
public enum DType
{
    /// <summary>Unsigned 8-bit integer (image pixels).</summary>
    UInt8 = 0,
    /// <summary>Signed 8-bit integer.</summary>
    Int8 = 1,
    /// <summary>Signed 16-bit integer.</summary>
    Int16 = 2,
    /// <summary>Signed 32-bit integer.</summary>
    Int32 = 3,
    /// <summary>Signed 64-bit integer (class indices).</summary>
    Int64 = 4,
    /// <summary>IEEE half precision.</summary>
    Float16 = 5,
    /// <summary>IEEE single precision (the default for weights and activations).</summary>
    Float32 = 6,
    /// <summary>IEEE double precision (gradient checks).</summary>
    Float64 = 7,
    /// <summary>Boolean.</summary>
    Bool = 11,
    /// <summary>Brain floating point.</summary>
    BFloat16 = 15,
}

/// <summary>Helpers for <see cref="DType"/>.</summary>
public static class DTypeExtensions
{
    /// <summary>Size of one element in bytes.</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.UInt8 or DType.Int8 or DType.Bool => 1,
        DType.Int16 or DType.Float16 or DType.BFloat16 => 2,
        DType.Int32 or DType.Float32 => 4,
        DType.Int64 or DType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>True for floating-point types.</summary>
    public static bool IsFloatingPoint(this DType dtype) =>
        dtype is DType.Float16 or DType.Float32 or DType.Float64 or DType.BFloat16;

    /// <summary>The safetensors name of the type ("F32", "I64", ...).</summary>
    public static string SafetensorsName(this DType dtype) => dtype switch
    {
        DType.UInt8 => "U8",
        DType.Int8 => "I8",
        DType.Int16 => "I16",
        DType.Int32 => "I32",
        DType.Int64 => "I64",
        DType.Float16 => "F16",
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Bool => "BOOL",
        DType.BFloat16 => "BF16",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>Parses a safetensors dtype name.</summary>
    public static bool TryParseSafetensors(string name, out DType dtype)
    {
        switch (name)
        {
            case "U8": dtype = DType.UInt8; return true;
            case "I8": dtype = DType.Int8; return true;
            case "I16": dtype = DType.Int16; return true;
            case "I32": dtype = DType.Int32; return true;
            case "I64": dtype = DType.Int64; return true;
            case "F16": dtype = DType.Float16; return true;
            case "F32": dtype = DType.Float32; return true;
            case "F64": dtype = DType.Float64; return true;
            case "BOOL": dtype = DType.Bool; return true;
            case "BF16": dtype = DType.BFloat16; return true;
            default: dtype = default; return false;
        }
    }

    internal static DType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return DType.Float32;
        if (typeof(T) == typeof(double)) return DType.Float64;
        if (typeof(T) == typeof(long)) return DType.Int64;
        if (typeof(T) == typeof(int)) return DType.Int32;
        if (typeof(T) == typeof(short)) return DType.Int16;
        if (typeof(T) == typeof(byte)) return DType.UInt8;
        if (typeof(T) == typeof(sbyte)) return DType.Int8;
        if (typeof(T) == typeof(bool)) return DType.Bool;
        if (typeof(T) == typeof(Half)) return DType.Float16;
        throw new NotSupportedException($"no tensor dtype for element type {typeof(T).Name}");
    }
}
