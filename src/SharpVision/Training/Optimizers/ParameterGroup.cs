using SharpVision.Layers;

namespace SharpVision.Training.Optimizers;

/// <summary>
/// Parameters that share optimizer settings. <see cref="LearningRateScale"/> multiplies the optimizer's learning rate,
/// which gives discriminative learning rates (a lower rate for the backbone than for the head) when fine-tuning.
/// </summary>
public sealed class ParameterGroup
{
    /// <summary>Creates a group.</summary>
    public ParameterGroup(IEnumerable<NamedTensor> parameters, double learningRateScale = 1.0, double? weightDecay = null, string name = "default")
    {
        Parameters = parameters.ToList();
        if (learningRateScale < 0) throw new ArgumentOutOfRangeException(nameof(learningRateScale), learningRateScale, "must be ≥ 0");
        LearningRateScale = learningRateScale;
        WeightDecay = weightDecay;
        Name = name;
    }

    /// <summary>One group holding every parameter of <paramref name="model"/> (frozen ones are skipped at each step).</summary>
    public static ParameterGroup[] Of(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new[] { new ParameterGroup(model.NamedParameters().Select(p => new NamedTensor(p.Name, p.Parameter.Value))) };
    }

    /// <summary>The group's parameters.</summary>
    public IReadOnlyList<NamedTensor> Parameters { get; }

    /// <summary>Multiplier of the optimizer's learning rate for this group.</summary>
    public double LearningRateScale { get; set; }

    /// <summary>Weight decay for this group (null = the optimizer's).</summary>
    public double? WeightDecay { get; set; }

    /// <summary>A label for logs ("head", "backbone").</summary>
    public string Name { get; }
}
