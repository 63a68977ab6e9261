using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>
/// The <see cref="IClassifierModel"/> plumbing that backbone-plus-head modules share (ResNet, VGG, MobileNetV2,
/// Inception v3): the model is the module itself, the head sits at <see cref="HeadPrefix"/>, the forward pass is
/// features → head, and replacing the head checks the class count and records it. A family supplies its features,
/// its head and how to build a new head.
/// </summary>
public abstract class ClassifierModule : Module, IClassifierModel
{
    /// <summary>Creates the module named <paramref name="name"/> whose classification layer sits at <paramref name="headPrefix"/>.</summary>
    protected ClassifierModule(string name, string headPrefix) : base(name) => HeadPrefix = headPrefix;

    /// <inheritdoc />
    public Module Model => this;

    /// <inheritdoc />
    public string HeadPrefix { get; }

    /// <inheritdoc />
    public virtual IReadOnlyList<string> HeadPaths => [HeadPrefix];

    /// <inheritdoc />
    public abstract int FeatureDim { get; }

    /// <inheritdoc />
    public virtual IReadOnlyList<string> FeatureTapPaths => [];

    /// <inheritdoc />
    public int NumClasses { get; protected set; }

    /// <summary>Features, then the head: logits [N, NumClasses].</summary>
    public override Tensor Forward(Tensor input)
    {
        using var features = ForwardFeatures(input);
        return ForwardHead(features);
    }

    /// <inheritdoc />
    public abstract Tensor ForwardFeatures(Tensor input);

    /// <inheritdoc />
    public abstract Tensor ForwardHead(Tensor features);

    /// <inheritdoc />
    public void ReplaceHead(int numClasses)
    {
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "the number of classes must be at least 1");
        BuildHead(numClasses);
        NumClasses = numClasses;
    }

    /// <summary>Puts freshly initialised head layers (and any auxiliary heads) for <paramref name="numClasses"/> classes in place.</summary>
    protected abstract void BuildHead(int numClasses);
}
