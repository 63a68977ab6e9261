using SharpVision.Engine;

namespace SharpVision.Training.Optimizers;

/// <summary>A trainable tensor with its state-dict name (optimizer state is saved under that name).</summary>
/// <param name="Name">Dotted name, e.g. "features.0.0.weight".</param>
/// <param name="Tensor">The leaf tensor (owned by the model, not by the optimizer).</param>
public readonly record struct NamedTensor(string Name, Tensor Tensor);
