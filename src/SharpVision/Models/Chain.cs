using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>Runs modules one after another, freeing each intermediate (never the caller's input).</summary>
internal static class Chain
{
    public static Tensor Run(Tensor input, params Module[] modules)
    {
        if (modules.Length == 0) return input.Alias();
        var x = input;
        try
        {
            foreach (var m in modules)
            {
                var y = m.Call(x);
                if (!ReferenceEquals(x, input)) x.Dispose();
                x = y;
            }
            return x;
        }
        catch
        {
            if (!ReferenceEquals(x, input)) x.Dispose();
            throw;
        }
    }

    /// <summary>Concatenates along channels and frees the parts.</summary>
    public static Tensor CatAndDispose(params Tensor[] parts)
    {
        try { return Tensor.Cat(parts, 1); }
        finally { foreach (var p in parts) p.Dispose(); }
    }
}
