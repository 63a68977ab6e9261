namespace SharpVision.Engine.Distributed;

/// <summary>How <see cref="ProcessGroup.AllReduce(IReadOnlyList{Tensor}, ReduceOp)"/> combines the ranks' tensors.</summary>
public enum ReduceOp
{
    /// <summary>Element-wise sum.</summary>
    Sum = 0,
    /// <summary>Element-wise mean over the ranks (sum, then divided by the world size; floating-point tensors only).</summary>
    Avg = 1,
    /// <summary>Element-wise maximum.</summary>
    Max = 2,
    /// <summary>Element-wise minimum.</summary>
    Min = 3,
}
