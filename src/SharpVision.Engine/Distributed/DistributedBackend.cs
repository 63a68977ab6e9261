namespace SharpVision.Engine.Distributed;

/// <summary>Which c10d backend carries the collectives.</summary>
public enum DistributedBackend
{
    /// <summary>Gloo for CPU tensors; NCCL for CUDA tensors when this libtorch has NCCL (created on first use), Gloo otherwise.</summary>
    Auto = 0,
    /// <summary>Gloo for every tensor (CPU; CUDA tensors only with a CUDA-enabled Gloo).</summary>
    Gloo = 1,
    /// <summary>NCCL for CUDA tensors, created at start-up (fails when NCCL is not compiled in); CPU tensors still use Gloo.</summary>
    Nccl = 2,
}
