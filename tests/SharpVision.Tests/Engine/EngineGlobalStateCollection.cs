namespace SharpVision.Tests.Engine;

/// <summary>
/// Tests that touch process-wide engine state (the default generator, the thread count, the live-tensor count, RSS)
/// run alone, after the parallel tests, so that other tests cannot disturb them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EngineGlobalStateCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Engine global state";
}
