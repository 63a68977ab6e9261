using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>Returns its input (as a new handle); a placeholder for removed layers.</summary>
public sealed class Identity : Module
{
    /// <summary>Creates the layer.</summary>
    public Identity() : base("identity") { }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Alias();
}
