namespace SharpVision.Checkout;

/// <summary>The classifier itself failed (threw, or broke its contract) for a whole batch; not the customer's fault.</summary>
public sealed class ClassifierFailedException(string message, Exception? inner = null) : Exception(message, inner);
