namespace SharpVision.Tests.Support;

/// <summary>Tests that start child processes or measure process-wide state run alone, after the parallel ones.</summary>
[CollectionDefinition("Serial", DisableParallelization = true)]
public sealed class SerialCollection
{
}
