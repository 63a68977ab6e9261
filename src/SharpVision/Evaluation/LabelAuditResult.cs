namespace SharpVision.Evaluation;

/// <summary>What <see cref="LabelAudit"/> found: out-of-fold probabilities, per-class thresholds, the confident joint and the suspected label issues.</summary>
public sealed class LabelAuditResult
{
    /// <summary>Creates a result.</summary>
    public LabelAuditResult(IReadOnlyList<string> classNames, IReadOnlyList<int> labels, IReadOnlyList<float[]> probabilities,
        IReadOnlyList<double> thresholds, int[,] confidentJoint, IReadOnlyList<LabelIssue> issues)
    {
        ClassNames = classNames;
        Labels = labels;
        Probabilities = probabilities;
        Thresholds = thresholds;
        ConfidentJoint = confidentJoint;
        Issues = issues;
        var right = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            if (ArgMax(probabilities[i]) == labels[i]) right++;
        }
        OutOfFoldAccuracy = labels.Count == 0 ? double.NaN : (double)right / labels.Count;
    }

    /// <summary>Class names, by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The given label of every audited image.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>Out-of-fold class probabilities of every image (row i: scored by a head trained without image i).</summary>
    public IReadOnlyList<float[]> Probabilities { get; }

    /// <summary>Per-class confidence threshold t_j: the mean out-of-fold probability of class j over the images labelled j.</summary>
    public IReadOnlyList<double> Thresholds { get; }

    /// <summary>
    /// Confident joint C[given, likely]: images labelled <c>given</c> whose most probable class among those reaching their
    /// threshold is <c>likely</c>; the off-diagonal holds the issues. Images reaching no threshold are not counted.
    /// </summary>
    public int[,] ConfidentJoint { get; }

    /// <summary>Suspected label issues, the least likely given label first.</summary>
    public IReadOnlyList<LabelIssue> Issues { get; }

    /// <summary>The heads' L2 penalty (given, or chosen by out-of-fold log-loss).</summary>
    public double L2 { get; init; } = double.NaN;

    /// <summary>Out-of-fold log-loss of each penalty tried (empty when the penalty was given).</summary>
    public IReadOnlyList<(double L2, double LogLoss)> L2Scores { get; init; } = Array.Empty<(double, double)>();

    /// <summary>Mean negative log-probability of the given labels under the out-of-fold heads.</summary>
    public double OutOfFoldLogLoss => LogLoss(Probabilities, Labels);

    internal static double LogLoss(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> labels)
    {
        var sum = 0.0;
        for (var i = 0; i < labels.Count; i++) sum -= Math.Log(Math.Max(probabilities[i][labels[i]], 1e-12));
        return labels.Count == 0 ? double.NaN : sum / labels.Count;
    }

    /// <summary>Accuracy of the out-of-fold heads' top class against the given labels (how well the frozen features separate the classes).</summary>
    public double OutOfFoldAccuracy { get; }

    internal static int ArgMax(float[] p)
    {
        var best = 0;
        for (var j = 1; j < p.Length; j++)
        {
            if (p[j] > p[best]) best = j;
        }
        return best;
    }
}
