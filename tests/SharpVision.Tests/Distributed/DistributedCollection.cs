namespace SharpVision.Tests.Distributed;

/// <summary>
/// Runs the distributed tests one after another: they start processes and process groups that compete for the cores,
/// and one test sets torchrun's environment variables, which child processes would inherit.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DistributedCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Distributed";
}
