using SharpVision.Distributed;
using SharpVision.Engine;
using SharpVision.Engine.Distributed;

namespace SharpVision.Tests.Distributed;

[Collection(DistributedCollection.Name)]
public class ProcessGroupTests
{
    private static ProcessGroup Single() => ProcessGroup.Init(new DistributedOptions
    {
        MasterAddress = "127.0.0.1", MasterPort = FreePort.Find(), Rank = 0, WorldSize = 1, Timeout = TimeSpan.FromSeconds(10),
    });

    [Fact]
    public void C10dIsCompiledIn()
    {
        Assert.True(ProcessGroup.IsAvailable, "the native shim was built without c10d: install libgloo-dev (./run setup) and rebuild native");
    }

    [Fact]
    public void WorldOfOne_CollectivesAreIdentities()
    {
        using var group = Single();
        using var scope = Torch.NewDisposeScope();
        Assert.Equal(0, group.Rank);
        Assert.Equal(1, group.WorldSize);
        Assert.True(group.IsMain);

        var a = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2);
        var b = Tensor.FromArray(new double[] { -1.5 });
        group.Broadcast(new[] { a, b }, root: 0);
        group.AllReduce(new[] { a, b }, ReduceOp.Sum);
        group.AllReduce(a, ReduceOp.Avg);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, a.ToArray<float>());
        Assert.Equal(new[] { -1.5 }, b.ToArray<double>());

        var gathered = group.AllGather(a);
        Assert.Equal(new long[] { 1, 2, 2 }, gathered.Shape);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, gathered.ToArray<float>());
        group.Barrier();
    }

    [Fact]
    public void TwoRanks_AllReduceBroadcastAndGather()
    {
        var results = InProcessRanks.Run(2, group =>
        {
            using var scope = Torch.NewDisposeScope();
            var r = group.Rank;
            var sum = Tensor.FromArray(new float[] { r + 1, 10 * (r + 1) });
            var avg = Tensor.FromArray(new float[] { r, 2 * r, 4 * r }).Reshape(3, 1).Transpose(0, 1); // non-contiguous is staged
            var max = Tensor.FromArray(new long[] { r == 0 ? 7 : 3, r == 0 ? -1 : 5 });
            var quarter = Tensor.FromArray(new double[] { r * 0.25 });
            group.AllReduce(new[] { sum, quarter }, ReduceOp.Sum);
            group.AllReduce(avg, ReduceOp.Avg);
            group.AllReduce(max, ReduceOp.Max);
            var root = Tensor.FromArray(new float[] { 100 * (r + 1) });
            group.Broadcast(root, root: 1);
            var gathered = group.AllGather(Tensor.FromArray(new long[] { r, r * r + 1 }));
            Assert.Equal(new[] { 0.25 }, quarter.ToArray<double>());
            return (sum.ToArray<float>(), avg.Contiguous().ToArray<float>(), max.ToArray<long>(), root.ToArray<float>(), gathered.ToArray<long>(),
                gathered.Shape);
        });

        foreach (var (sum, avg, max, root, gathered, shape) in results)
        {
            Assert.Equal(new float[] { 3, 30 }, sum);
            Assert.Equal(new float[] { 0.5f, 1, 2 }, avg);
            Assert.Equal(new long[] { 7, 5 }, max);
            Assert.Equal(new float[] { 200 }, root);
            Assert.Equal(new long[] { 2, 2 }, shape);
            Assert.Equal(new long[] { 0, 1, 1, 2 }, gathered);
        }
    }

    [Fact]
    public void AverageOfIntegers_IsRejected()
    {
        using var group = Single();
        using var t = Tensor.FromArray(new long[] { 1, 2 });
        var e = Assert.Throws<TorchTypeException>(() => group.AllReduce(t, ReduceOp.Avg));
        Assert.Contains("floating-point", e.Message);
    }

    [Fact]
    public void InvalidOptions_NameTheField()
    {
        var e = Assert.Throws<ArgumentException>(() => ProcessGroup.Init(new DistributedOptions { Rank = 2, WorldSize = 2 }));
        Assert.Equal("Rank", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => ProcessGroup.Init(new DistributedOptions { MasterPort = 70000 }));
        Assert.Equal("MasterPort", e.ParamName);
    }

    [Fact]
    public void MissingPeer_FailsTheRendezvousWithinTheTimeout()
    {
        var options = new DistributedOptions
        {
            MasterAddress = "127.0.0.1", MasterPort = FreePort.Find(), Rank = 1, WorldSize = 2, Timeout = TimeSpan.FromSeconds(1),
        };
        var e = Assert.Throws<DistributedException>(() => ProcessGroup.Init(options));
        Assert.Contains("rank 1: rendezvous", e.Message);
        Assert.Contains("is rank 0 running", e.Message);
    }

    [Fact]
    public void DisposedGroup_Throws()
    {
        var group = Single();
        group.Dispose();
        group.Dispose();
        Assert.Throws<ObjectDisposedException>(() => group.Barrier());
    }
}
