namespace SharpVision.Checkout;

/// <summary>Facts about the checkout application.</summary>
public static class CheckoutInfo
{
    /// <summary>The application's display name.</summary>
    public const string Name = "SharpVision café checkout";
}
