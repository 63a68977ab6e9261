namespace SharpVision.Engine;

public sealed partial class Tensor
{
    /// <summary>max(0, x).</summary>
    public Tensor Relu() => Functional.Relu(this);
    /// <summary>Logistic sigmoid.</summary>
    public Tensor Sigmoid() => Functional.Sigmoid(this);
    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh() => Functional.Tanh(this);
    /// <summary>Softmax along <paramref name="dim"/>.</summary>
    public Tensor Softmax(long dim) => Functional.Softmax(this, dim);
    /// <summary>Log-softmax along <paramref name="dim"/>.</summary>
    public Tensor LogSoftmax(long dim) => Functional.LogSoftmax(this, dim);
}
