using SharpVision.Imaging;

namespace SharpVision.Explain;

/// <summary>The input pattern that most excites one channel of a layer, found by gradient ascent.</summary>
public sealed class FilterVisualization
{
    /// <summary>The layer's path.</summary>
    public required string Layer { get; init; }

    /// <summary>The channel (filter) index.</summary>
    public required int Channel { get; init; }

    /// <summary>The pattern at the model's input size, in the model's channels (grey for one-channel models).</summary>
    public required RgbImage Image { get; init; }

    /// <summary>Mean activation of the channel for the starting image (grey plus noise).</summary>
    public required double InitialActivation { get; init; }

    /// <summary>Mean activation of the channel for the final pattern.</summary>
    public required double FinalActivation { get; init; }

    /// <summary>The activation before each step (for convergence plots).</summary>
    public required double[] History { get; init; }
}
