using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>A layer with several inputs (for <see cref="GraphModel"/>): <see cref="Concatenate"/>, <see cref="Add"/>.</summary>
public abstract class MergeLayer : Module
{
    /// <summary>Creates the layer with a display name.</summary>
    protected MergeLayer(string defaultName) : base(defaultName) { }

    /// <summary>Combines <paramref name="inputs"/> into a new tensor (inputs are not disposed).</summary>
    public abstract Tensor Forward(IReadOnlyList<Tensor> inputs);

    /// <summary>A single input is treated as a one-element list.</summary>
    public override Tensor Forward(Tensor input) => Forward(new[] { input });

    /// <summary>Runs <see cref="Forward(IReadOnlyList{Tensor})"/> then the forward hooks.</summary>
    public Tensor Call(IReadOnlyList<Tensor> inputs)
    {
        ThrowIfDisposed();
        var output = Forward(inputs);
        RunForwardHooks(output);
        return output;
    }
}
