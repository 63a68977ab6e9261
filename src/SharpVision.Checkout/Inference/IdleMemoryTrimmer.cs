using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SharpVision.Checkout;

/// <summary>
/// Gives memory back to the OS after a burst of uploads: once recognition has been idle for
/// <see cref="CheckoutOptions.IdleTrimDelay"/>, one compacting collection of the whole heap (large-object heap included,
/// where decoded photos live) and glibc's <c>malloc_trim</c> for native buffers. Without it a burst of large photos
/// leaves the process at its peak size for good. Runs at most once per burst, never while requests are being served.
/// </summary>
internal sealed partial class IdleMemoryTrimmer(InferenceBatcher batcher, CheckoutOptions options, ILogger<IdleMemoryTrimmer> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = options.IdleTrimDelay;
        if (delay <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(50, delay.TotalMilliseconds / 4)));
        var seen = batcher.Statistics.Images;
        var lastChange = DateTime.UtcNow;
        var dirty = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var images = batcher.Statistics.Images;
                if (images != seen)
                {
                    (seen, lastChange, dirty) = (images, DateTime.UtcNow, true);
                    continue;
                }
                if (!dirty || DateTime.UtcNow - lastChange < delay) continue;
                dirty = false;
                var before = Environment.WorkingSet;
                Trim();
                log.LogDebug("idle: memory trimmed from {Before} to {After} MB", before >> 20, Environment.WorkingSet >> 20);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One compacting, decommitting collection, then glibc's trim of free native heap pages.</summary>
    public static void Trim()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl): nothing to trim.
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
