namespace SharpVision.Checkout;

/// <summary>Where an order is in its life: created by the customer, paid through a payment step, or voided by staff.</summary>
public enum OrderStatus
{
    /// <summary>The customer pressed Pay; no money has been taken yet.</summary>
    Created,

    /// <summary>A payment step (card terminal, or staff confirming cash) took the money.</summary>
    Paid,

    /// <summary>Staff cancelled it (with a reason); it counts in no takings.</summary>
    Voided,
}
