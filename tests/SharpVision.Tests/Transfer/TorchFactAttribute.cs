using SharpVision.Tests.Support;
using SharpVision.Transfer.Pretrained;
using SharpVision.Transfer;

namespace SharpVision.Tests.Transfer;

/// <summary>A test that needs python3 with torch: skipped (with the reason) when it is missing outside CI.</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(() => TorchvisionImport.FindPythonWithTorch(out var why) is null ? why : null);

    /// <summary>Checks for python3 + torch.</summary>
    public TorchFactAttribute()
    {
        if (Missing.Value is { } why && !TestPaths.InCi) Skip = why;
    }
}
