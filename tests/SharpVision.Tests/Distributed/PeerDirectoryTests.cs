using SharpVision.Distributed;

namespace SharpVision.Tests.Distributed;

/// <summary>Naming the rank and host behind a failed collective (two ranks of this process on loopback).</summary>
[Collection(DistributedCollection.Name)]
public class PeerDirectoryTests
{
    [Fact]
    public void EveryRankKnowsEveryHost_AndAFailureThatNamesAPeersAddressNamesThatRank()
    {
        var directories = InProcessRanks.Run(2, PeerDirectory.Gather);
        var hosts = directories[0].Hosts;
        Assert.Equal(new[] { 0, 1 }, hosts.Select(h => h.Rank));
        Assert.All(hosts, h => Assert.Equal("127.0.0.1", h.Address)); // loopback master: loopback for everyone
        Assert.Equal(Environment.MachineName, hosts[1].MachineName);
        Assert.Equal(hosts, directories[1].Hosts);

        var explained = directories[0].Explain("rank 0: all_reduce failed — is a peer gone? (Connection closed by peer [127.0.0.1]:40075)");
        Assert.StartsWith($"rank 1 on host 127.0.0.1 ({Environment.MachineName}) is gone: rank 0: all_reduce failed", explained);
        var timeout = directories[1].Explain("rank 1: all_reduce timed out after 10 s — is a peer gone?");
        Assert.EndsWith($"(the other ranks: rank 0 on host 127.0.0.1 ({Environment.MachineName}))", timeout);
    }
}
