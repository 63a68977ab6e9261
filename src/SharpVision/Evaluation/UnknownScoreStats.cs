using SharpVision.Models;

namespace SharpVision.Evaluation;

/// <summary>How one open-set score separates known items from unknown ones.</summary>
/// <param name="Kind">The score.</param>
/// <param name="Threshold">Its calibrated threshold (above = unknown).</param>
/// <param name="Auroc">Area under the ROC curve, known vs unknown items (NaN without unknown items).</param>
/// <param name="FalseAcceptRate">Share of unknown items accepted as known at the threshold (NaN without unknown items).</param>
/// <param name="KnownAcceptance">Share of all known items accepted.</param>
/// <param name="CorrectAcceptance">Share of correctly classified known items accepted.</param>
/// <param name="KnownScores">The score of every known item.</param>
/// <param name="UnknownScores">The score of every unknown item (empty without unknown items).</param>
public sealed record UnknownScoreStats(UnknownScoreKind Kind, double Threshold, double Auroc, double FalseAcceptRate, double KnownAcceptance,
    double CorrectAcceptance, double[] KnownScores, double[] UnknownScores);
