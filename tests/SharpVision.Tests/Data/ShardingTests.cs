using SharpVision.Data;

namespace SharpVision.Tests.Data;

/// <summary>The one way ranks split an order: strided, with the remainder uneven, cut or padded.</summary>
public class ShardingTests
{
    private static readonly int[] Order = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];

    [Fact]
    public void UnevenSharesCoverTheOrderOnce()
    {
        var shares = Enumerable.Range(0, 3).Select(r => Sharding.Shard(Order, r, 3)).ToArray();
        Assert.Equal([9, 6, 3, 0], shares[0]);
        Assert.Equal([8, 5, 2], shares[1]);
        Assert.Equal(Order.Order(), shares.SelectMany(s => s).Order());
    }

    [Fact]
    public void EvenCutsTheTailAndPaddedRepeatsTheStart()
    {
        Assert.All(Enumerable.Range(0, 3), r => Assert.Equal(3, Sharding.Shard(Order, r, 3, ShardSize.Even).Length));
        Assert.Equal([7, 4, 1], Sharding.Shard(Order, 2, 3, ShardSize.Even));
        Assert.Equal([7, 4, 1, 8], Sharding.Shard(Order, 2, 3, ShardSize.Padded)); // position 11 wraps to position 1
        Assert.Throws<ArgumentOutOfRangeException>(() => Sharding.Shard(Order, 3, 3));
    }
}
