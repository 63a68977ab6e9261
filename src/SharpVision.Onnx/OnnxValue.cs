namespace SharpVision.Onnx;

/// <summary>A named tensor of the graph being exported with its shape without the batch dimension (e.g. [C, H, W] or [F]).</summary>
/// <param name="Name">The graph value's name.</param>
/// <param name="Shape">Per-sample shape, known statically because the input size is fixed at export.</param>
internal readonly record struct OnnxValue(string Name, long[] Shape)
{
    /// <summary>Channels of an NCHW value (or features of an [N, F] value).</summary>
    public long Channels => Shape[0];

    /// <summary>Height of an NCHW value.</summary>
    public long Height => Shape[1];

    /// <summary>Width of an NCHW value.</summary>
    public long Width => Shape[2];
}
