using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>
/// Base of the Keras-style zoo models: a <see cref="Sequential"/> whose last child is the dense head. Keras defaults
/// for initialisation (glorot_uniform kernels, zero biases). Implements <see cref="IClassifierModel"/>: the features
/// are the input of the last layer.
/// </summary>
public abstract class SequentialClassifier : Sequential, IClassifierModel
{
    private readonly bool outputProbabilities;

    /// <summary>Creates the empty model; subclasses append layers then call <see cref="AppendHead"/>.</summary>
    protected SequentialClassifier(string name, bool outputProbabilities) : base(name, Array.Empty<Module>())
    {
        this.outputProbabilities = outputProbabilities;
    }

    /// <inheritdoc />
    public Module Model => this;
    /// <inheritdoc />
    public string HeadPrefix => Names[^1];
    /// <inheritdoc />
    public IReadOnlyList<string> HeadPaths => new[] { HeadPrefix };
    /// <inheritdoc />
    public int FeatureDim { get; private set; }
    /// <inheritdoc />
    public int NumClasses { get; private set; }

    /// <summary>Output units for a class count (small-convnet uses one sigmoid unit for two classes).</summary>
    protected virtual int UnitsFor(int numClasses) => numClasses;

    /// <summary>Appends the dense head and initialises every layer Keras-style.</summary>
    protected void AppendHead(int featureDim, int numClasses, string? name = null)
    {
        FeatureDim = featureDim;
        NumClasses = numClasses;
        if (name is null) Append(CreateHead(numClasses));
        else Append(name, CreateHead(numClasses));
        WeightInit.Keras(this);
    }

    private Linear CreateHead(int numClasses)
    {
        var units = UnitsFor(numClasses);
        var act = !outputProbabilities ? Activation.None : units == 1 ? Activation.Sigmoid : Activation.Softmax;
        return new Linear(FeatureDim, units, activation: act);
    }

    /// <inheritdoc />
    public Tensor ForwardFeatures(Tensor input) => ForwardRange(input, 0, Count - 1);

    /// <inheritdoc />
    public Tensor ForwardHead(Tensor features) => this[Count - 1].Call(features);

    /// <inheritdoc />
    public void ReplaceHead(int numClasses)
    {
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "the number of classes must be at least 1");
        var head = CreateHead(numClasses);
        Init.GlorotUniform(head.Weight.Value);
        Init.Constant(head.Bias!.Value, 0);
        Replace(Count - 1, head);
        NumClasses = numClasses;
    }

    /// <summary>Output size of a convolution or pooling window along one axis.</summary>
    protected static int OutputSize(int size, int kernel, int stride = 1, int padding = 0) => (size + 2 * padding - kernel) / stride + 1;

    /// <summary>Throws a clear error when the input shrinks to nothing before the Flatten.</summary>
    protected static void RequirePositive(string model, ModelOptions o, int height, int width)
    {
        if (height < 1 || width < 1)
            throw new ArgumentException($"{model}: input {o.InputHeight}×{o.InputWidth} is too small, the feature map shrinks to {height}×{width} before Flatten", nameof(o));
    }
}
