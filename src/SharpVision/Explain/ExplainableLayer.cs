using SharpVision.Layers;

namespace SharpVision.Explain;

/// <summary>A layer that explanations can look into.</summary>
/// <param name="Path">State-dict path of the module ("0", "features.3.conv.1.0", "layer4.1.conv2").</param>
/// <param name="Name">Keras-style display name from the model summary ("conv2d_3"), or the path for modules the summary does not list.</param>
/// <param name="Type">The module's class name ("Conv2d").</param>
/// <param name="OutputShape">Output shape for one image [1, C, H, W] at the model's input size, or null when unknown.</param>
/// <param name="Module">The module itself (owned by the model).</param>
public sealed record ExplainableLayer(string Path, string Name, string Type, long[]? OutputShape, Module Module)
{
    /// <summary>"name (path)" or just the path when they are equal, e.g. "conv2d_1 (2)".</summary>
    public string Label => Name == Path ? Path : $"{Name} ({Path})";

    /// <summary>Number of output channels, when the output shape is known.</summary>
    public int? Channels => OutputShape is { Length: 4 } s ? (int)s[1] : null;
}
