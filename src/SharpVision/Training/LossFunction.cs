using SharpVision.Engine;

namespace SharpVision.Training;

/// <summary>
/// The training loss: categorical cross-entropy on logits (label smoothing, class weights, soft targets from
/// MixUp/CutMix), or binary cross-entropy when the model has a single sigmoid output for two classes.
/// </summary>
public sealed class LossFunction : IDisposable
{
    private readonly Tensor? classWeights;

    /// <summary>Creates the loss.</summary>
    public LossFunction(double labelSmoothing = 0, float[]? classWeights = null, Device? device = null)
    {
        if (labelSmoothing is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "label smoothing must be in [0, 1)");
        LabelSmoothing = labelSmoothing;
        if (classWeights is not null)
        {
            using var w = Tensor.FromArray(classWeights);
            this.classWeights = w.To(device ?? Device.Cpu).DetachFromDisposeScope();
        }
    }

    /// <summary>Label smoothing factor.</summary>
    public double LabelSmoothing { get; }

    /// <summary>Mean loss of <paramref name="logits"/> [N, C] (or [N, 1] for a binary sigmoid head) against labels [N] or soft targets [N, C].</summary>
    public Tensor Compute(Tensor logits, Tensor labelsOrSoftTargets)
    {
        var shape = logits.Shape;
        if (shape.Length == 2 && shape[1] == 1)
        {
            using var scope = Torch.NewDisposeScope();
            var target = labelsOrSoftTargets.Dim == 2
                ? labelsOrSoftTargets.Narrow(1, 1, 1)
                : labelsOrSoftTargets.To(logits.DType).Unsqueeze(1);
            if (LabelSmoothing > 0) target = target * (1 - LabelSmoothing) + 0.5 * LabelSmoothing;
            Tensor? posWeight = null;
            Tensor? weight = null;
            if (classWeights is not null)
            {
                // Per-sample weight: w[label].
                var labels = labelsOrSoftTargets.Dim == 2 ? labelsOrSoftTargets.Argmax(1) : labelsOrSoftTargets;
                weight = classWeights.IndexSelect(0, labels).Unsqueeze(1);
            }
            return Functional.BinaryCrossEntropyWithLogits(logits, target, weight, posWeight).MoveToOuterDisposeScope();
        }
        return Functional.CrossEntropy(logits, labelsOrSoftTargets, classWeights, Reduction.Mean, -100, LabelSmoothing);
    }

    /// <inheritdoc />
    public void Dispose() => classWeights?.Dispose();
}
