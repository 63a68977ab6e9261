using System.Runtime.InteropServices;
using SharpVision.Engine.Native;

namespace SharpVision.Engine.Distributed;

/// <summary>P/Invoke declarations of native/src/distributed.cpp and reducer.cpp (status-returning: 0 ok, -1 error recorded).</summary>
internal static unsafe class DistributedNative
{
    [DllImport(NativeMethods.Lib)] internal static extern int sv_dist_is_available();
    [DllImport(NativeMethods.Lib)] internal static extern int sv_dist_nccl_available();

    [DllImport(NativeMethods.Lib)]
    internal static extern int sv_dist_init([MarshalAs(UnmanagedType.LPUTF8Str)] string masterAddress, int masterPort, int rank,
        int worldSize, long timeoutMs, int backend, [MarshalAs(UnmanagedType.LPUTF8Str)] string? networkInterface, IntPtr* output);

    [DllImport(NativeMethods.Lib)] internal static extern int sv_dist_rank(IntPtr group);
    [DllImport(NativeMethods.Lib)] internal static extern int sv_dist_world_size(IntPtr group);
    [DllImport(NativeMethods.Lib)] internal static extern void sv_dist_destroy(IntPtr group);
    [DllImport(NativeMethods.Lib)] internal static extern int sv_dist_broadcast(IntPtr group, IntPtr* tensors, int count, int root);
    [DllImport(NativeMethods.Lib)] internal static extern int sv_dist_all_reduce(IntPtr group, IntPtr* tensors, int count, int op);
    [DllImport(NativeMethods.Lib)] internal static extern int sv_dist_all_reduce_differentiable(IntPtr group, IntPtr tensor, IntPtr* output);
    [DllImport(NativeMethods.Lib)] internal static extern int sv_dist_all_gather(IntPtr group, IntPtr tensor, IntPtr* output);
    [DllImport(NativeMethods.Lib)] internal static extern int sv_dist_barrier(IntPtr group);

    // native/src/reducer.cpp
    [DllImport(NativeMethods.Lib)]
    internal static extern int sv_reducer_create(IntPtr* parameters, int count, long firstBucketBytes, long bucketBytes, int compression, IntPtr* output);

    [DllImport(NativeMethods.Lib)] internal static extern int sv_reducer_bucket_sizes(IntPtr reducer, long* sizes, int capacity);
    [DllImport(NativeMethods.Lib)] internal static extern int sv_reducer_prepare(IntPtr reducer, IntPtr group);
    [DllImport(NativeMethods.Lib)] internal static extern int sv_reducer_finalize(IntPtr reducer, IntPtr group);
    [DllImport(NativeMethods.Lib)] internal static extern int sv_reducer_launched_in_backward(IntPtr reducer);
    [DllImport(NativeMethods.Lib)] internal static extern void sv_reducer_destroy(IntPtr reducer);
}
