using SharpVision.Distributed;
using SharpVision.Engine.Distributed;

namespace SharpVision.Tests.Distributed;

/// <summary>Runs a body as every rank of a small Gloo group inside this process, one thread per rank.</summary>
internal static class InProcessRanks
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="body"/> on <paramref name="worldSize"/> ranks and returns each rank's result, by rank.</summary>
    public static T[] Run<T>(int worldSize, Func<ProcessGroup, T> body)
    {
        var port = FreePort.Find();
        var results = new T[worldSize];
        var errors = new Exception?[worldSize];
        var threads = Enumerable.Range(0, worldSize).Select(rank => new Thread(() =>
        {
            try
            {
                using var group = ProcessGroup.Init(new DistributedOptions
                {
                    MasterAddress = "127.0.0.1", MasterPort = port, Rank = rank, WorldSize = worldSize, Timeout = Timeout,
                });
                results[rank] = body(group);
                group.Barrier();
            }
            catch (Exception e)
            {
                errors[rank] = e;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        foreach (var t in threads)
            Assert.True(t.Join(TimeSpan.FromSeconds(30)), "a rank did not finish within 30 s");
        var failed = errors.Select((e, r) => (e, r)).Where(x => x.e is not null).ToList();
        if (failed.Count > 0) throw new AggregateException(failed.Select(x => new Exception($"rank {x.r} failed: {x.e!.Message}", x.e)));
        return results;
    }
}
