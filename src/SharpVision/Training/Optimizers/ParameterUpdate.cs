using SharpVision.Engine;

namespace SharpVision.Training.Optimizers;

/// <summary>
/// One parameter's share of an optimizer step, as <see cref="Optimizer.Step"/> hands it to an optimizer: the
/// parameter, its gradient, its state buffers (by name, e.g. "exp_avg") and its step count (1 on its first update).
/// </summary>
/// <param name="Parameter">The parameter, updated in place.</param>
/// <param name="Gradient">Its gradient (owned by the step; do not keep it).</param>
/// <param name="State">Its state buffers; new buffers must be owned by the optimizer (see <c>NewBuffer</c>).</param>
/// <param name="Step">1 for the first update of this parameter.</param>
public readonly record struct ParameterUpdate(Tensor Parameter, Tensor Gradient, Dictionary<string, Tensor> State, long Step);
