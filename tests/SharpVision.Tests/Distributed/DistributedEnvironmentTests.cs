using SharpVision.Engine.Distributed;

namespace SharpVision.Tests.Distributed;

[Collection(DistributedCollection.Name)]
public class DistributedEnvironmentTests
{
    private static readonly string[] Names = { "MASTER_ADDR", "MASTER_PORT", "WORLD_SIZE", "RANK", "LOCAL_RANK", "SHARPVISION_DIST_TIMEOUT" };

    private static void WithEnvironment(IReadOnlyDictionary<string, string?> values, Action body)
    {
        var saved = Names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var n in Names) Environment.SetEnvironmentVariable(n, values.TryGetValue(n, out var v) ? v : null);
            body();
        }
        finally
        {
            foreach (var (n, v) in saved) Environment.SetEnvironmentVariable(n, v);
        }
    }

    [Fact]
    public void TorchrunContract_IsReadIntoOptions()
    {
        WithEnvironment(new Dictionary<string, string?>
        {
            ["MASTER_ADDR"] = "10.0.0.5", ["MASTER_PORT"] = "29501", ["WORLD_SIZE"] = "8", ["RANK"] = "5", ["LOCAL_RANK"] = "1",
            ["SHARPVISION_DIST_TIMEOUT"] = "12.5",
        }, () =>
        {
            Assert.True(DistributedEnvironment.IsPresent);
            var o = DistributedEnvironment.Read();
            Assert.Equal(("10.0.0.5", 29501, 8, 5, 1), (o.MasterAddress, o.MasterPort, o.WorldSize, o.Rank, o.LocalRank));
            Assert.Equal(TimeSpan.FromSeconds(12.5), o.Timeout);
            Assert.Equal(TimeSpan.FromSeconds(3), DistributedEnvironment.Read(TimeSpan.FromSeconds(3)).Timeout);
        });
    }

    [Fact]
    public void MissingOrMalformedVariables_AreNamed()
    {
        WithEnvironment(new Dictionary<string, string?> { ["MASTER_ADDR"] = "h", ["MASTER_PORT"] = "1", ["WORLD_SIZE"] = "2" }, () =>
        {
            Assert.False(DistributedEnvironment.IsPresent);
            Assert.Contains("RANK is not set", Assert.Throws<InvalidOperationException>(() => DistributedEnvironment.Read()).Message);
        });
        WithEnvironment(new Dictionary<string, string?> { ["MASTER_ADDR"] = "h", ["MASTER_PORT"] = "x", ["WORLD_SIZE"] = "2", ["RANK"] = "0" }, () =>
            Assert.Contains("MASTER_PORT='x'", Assert.Throws<InvalidOperationException>(() => DistributedEnvironment.Read()).Message));
        WithEnvironment(new Dictionary<string, string?> { ["MASTER_ADDR"] = "h", ["MASTER_PORT"] = "5", ["WORLD_SIZE"] = "2", ["RANK"] = "2" }, () =>
            Assert.Contains("Rank 2 is outside [0, 2)", Assert.Throws<InvalidOperationException>(() => DistributedEnvironment.Read()).Message));
    }
}
