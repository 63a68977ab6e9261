namespace SharpVision.Checkout;

/// <summary>The body of every API error response: <c>{"error": "..."}</c>.</summary>
/// <param name="Error">What was wrong, naming the field or file.</param>
public sealed record ApiError(string Error);
