namespace SharpVision.Checkout;

/// <summary>One class and the probability the classifier gives it.</summary>
/// <param name="Class">The model class name.</param>
/// <param name="Probability">The probability in [0, 1].</param>
public sealed record ClassProbability(string Class, float Probability);
