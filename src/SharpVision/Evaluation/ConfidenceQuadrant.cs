namespace SharpVision.Evaluation;

/// <summary>One of the four groups correct/wrong × confidence at or above / below the threshold, with its items.</summary>
public sealed class ConfidenceQuadrant
{
    /// <summary>"confident_correct", "unsure_correct", "confident_wrong" or "unsure_wrong".</summary>
    public string Name { get; init; } = "";

    /// <summary>Whether the prediction is right.</summary>
    public bool Correct { get; init; }

    /// <summary>Whether the confidence is at or above the threshold.</summary>
    public bool Confident { get; init; }

    /// <summary>Items in the group.</summary>
    public int Count { get; init; }

    /// <summary>Count / all items.</summary>
    public double Fraction { get; init; }

    /// <summary>Item indices, most confident first.</summary>
    public int[] Indices { get; init; } = [];
}
