using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Training.Optimizers;

/// <summary>Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay (torch.optim.SGD).</summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Creates SGD over every parameter of <paramref name="model"/>.</summary>
    public Sgd(Module model, double learningRate = 0.01, double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0)
        : this(ParameterGroup.Of(model), learningRate, momentum, dampening, nesterov, weightDecay) { }

    /// <summary>Creates the optimizer.</summary>
    public Sgd(IEnumerable<ParameterGroup> groups, double learningRate = 0.01, double momentum = 0, double dampening = 0,
        bool nesterov = false, double weightDecay = 0) : base(groups, learningRate, weightDecay)
    {
        if (nesterov && (momentum <= 0 || dampening != 0)) throw new ArgumentException("Nesterov momentum requires momentum > 0 and zero dampening");
        Momentum = momentum;
        Dampening = dampening;
        Nesterov = nesterov;
    }

    /// <summary>Momentum factor.</summary>
    public double Momentum { get; }

    /// <summary>Dampening of the momentum.</summary>
    public double Dampening { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    public override string Name => "sgd";

    /// <inheritdoc />
    protected override void Update(Tensor param, Tensor grad, Dictionary<string, Tensor> state, long step, double lr, double weightDecay)
    {
        var d = weightDecay != 0 ? grad.Add(param, weightDecay) : grad;
        if (Momentum != 0)
        {
            if (!state.TryGetValue("momentum_buffer", out var buf))
            {
                buf = d.Clone().DetachFromDisposeScope();
                state["momentum_buffer"] = buf;
            }
            else
            {
                buf.Mul_(Momentum).Add_(d, 1 - Dampening);
            }
            d = Nesterov ? d.Add(buf, Momentum) : buf;
        }
        param.Add_(d, -lr);
    }
}
