using SharpVision.Models;

namespace SharpVision.Evaluation;

/// <summary>Open-set figures of a calibrated model on known items and, optionally, items of none of its classes.</summary>
/// <param name="Chosen">The score the model file rejects with.</param>
/// <param name="TargetAcceptance">The share of correct known items its threshold was chosen to keep.</param>
/// <param name="Scores">Every available score, <see cref="Chosen"/> included.</param>
/// <param name="KnownCount">Known items measured.</param>
/// <param name="UnknownCount">Unknown items measured (0 when only known items were given).</param>
public sealed record UnknownEvaluation(UnknownScoreKind Chosen, double TargetAcceptance, IReadOnlyList<UnknownScoreStats> Scores, int KnownCount, int UnknownCount)
{
    /// <summary>The figures of the score the model rejects with.</summary>
    public UnknownScoreStats ChosenStats => Scores.First(s => s.Kind == Chosen);

    /// <summary>The available score with the highest AUROC (the chosen one when there are no unknown items).</summary>
    public UnknownScoreStats Best => UnknownCount == 0 ? ChosenStats : Scores.MaxBy(s => s.Auroc)!;
}
