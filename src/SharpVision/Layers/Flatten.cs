using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>Flattens dimensions startDim..endDim (default: everything but the batch), as torch.nn.Flatten.</summary>
public sealed class Flatten : Module
{
    /// <summary>Creates the layer.</summary>
    public Flatten(int startDim = 1, int endDim = -1) : base("flatten")
    {
        StartDim = startDim;
        EndDim = endDim;
    }

    /// <summary>First flattened dimension.</summary>
    public int StartDim { get; }
    /// <summary>Last flattened dimension.</summary>
    public int EndDim { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Flatten(StartDim, EndDim);
}
