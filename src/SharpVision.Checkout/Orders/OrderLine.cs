namespace SharpVision.Checkout;

/// <summary>One line of a paid order, priced from the catalogue at the time of payment.</summary>
/// <param name="Class">The model class of the product.</param>
/// <param name="Name">The product name at the time of sale.</param>
/// <param name="UnitPrice">The unit price at the time of sale.</param>
/// <param name="Quantity">How many (1 or more).</param>
/// <param name="LineTotal"><paramref name="UnitPrice"/> × <paramref name="Quantity"/>.</param>
public sealed record OrderLine(string Class, string Name, decimal UnitPrice, int Quantity, decimal LineTotal);
