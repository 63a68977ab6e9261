namespace SharpVision.Evaluation;

/// <summary>
/// An image whose label looks wrong: a head that never saw it gives another class a confident probability (at least
/// that class's threshold) and its own label less.
/// </summary>
/// <param name="Index">Index in the audited dataset.</param>
/// <param name="Name">The image's file (dataset name).</param>
/// <param name="GivenLabel">The label it has.</param>
/// <param name="SuggestedLabel">The class the out-of-fold heads confidently prefer.</param>
/// <param name="GivenProbability">Out-of-fold probability of the given label (the ranking key: lowest first).</param>
/// <param name="SuggestedProbability">Out-of-fold probability of the suggested class.</param>
public sealed record LabelIssue(int Index, string Name, int GivenLabel, int SuggestedLabel, double GivenProbability, double SuggestedProbability);
