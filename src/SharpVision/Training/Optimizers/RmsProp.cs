using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Training.Optimizers;

/// <summary>RMSprop (torch.optim.RMSprop): optional momentum and centred variant.</summary>
public sealed class RmsProp : Optimizer
{
    /// <summary>Creates RMSprop over every parameter of <paramref name="model"/>.</summary>
    public RmsProp(Module model, double learningRate = 1e-2, double alpha = 0.99, double eps = 1e-8, double momentum = 0, bool centered = false, double weightDecay = 0)
        : this(ParameterGroup.Of(model), learningRate, alpha, eps, momentum, centered, weightDecay) { }

    /// <summary>Creates the optimizer.</summary>
    public RmsProp(IEnumerable<ParameterGroup> groups, double learningRate = 1e-2, double alpha = 0.99, double eps = 1e-8,
        double momentum = 0, bool centered = false, double weightDecay = 0) : base(groups, learningRate, weightDecay)
    {
        if (alpha is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in [0, 1)");
        Alpha = alpha;
        Eps = eps;
        Momentum = momentum;
        Centered = centered;
    }

    /// <summary>Smoothing constant of the squared-gradient average.</summary>
    public double Alpha { get; }

    /// <summary>Denominator term for numerical stability.</summary>
    public double Eps { get; }

    /// <summary>Momentum factor.</summary>
    public double Momentum { get; }

    /// <summary>Whether the gradient is normalised by its estimated variance.</summary>
    public bool Centered { get; }

    /// <inheritdoc />
    public override string Name => "rmsprop";

    /// <inheritdoc />
    protected override void Update(Tensor param, Tensor grad, Dictionary<string, Tensor> state, long step, double lr, double weightDecay)
    {
        var g = weightDecay != 0 ? grad.Add(param, weightDecay) : grad;
        if (!state.TryGetValue("square_avg", out var squareAvg)) state["square_avg"] = squareAvg = NewBuffer(param);
        squareAvg.Mul_(Alpha).Addcmul_(g, g, 1 - Alpha);
        Tensor avg;
        if (Centered)
        {
            if (!state.TryGetValue("grad_avg", out var gradAvg)) state["grad_avg"] = gradAvg = NewBuffer(param);
            gradAvg.Mul_(Alpha).Add_(g, 1 - Alpha);
            var centered = squareAvg.Clone().Addcmul_(gradAvg, gradAvg, -1);
            avg = centered.Sqrt_().Add_(Eps);
        }
        else
        {
            avg = squareAvg.Sqrt().Add_(Eps);
        }
        if (Momentum > 0)
        {
            if (!state.TryGetValue("momentum_buffer", out var buf)) state["momentum_buffer"] = buf = NewBuffer(param);
            buf.Mul_(Momentum).Addcdiv_(g, avg);
            param.Add_(buf, -lr);
        }
        else
        {
            param.Addcdiv_(g, avg, -lr);
        }
    }
}
