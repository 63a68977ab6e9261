namespace SharpVision.Inference;

/// <summary>What the network computed for a batch: raw logits and, when the model exposes them, its penultimate features.</summary>
/// <param name="Logits">N rows of the network's outputs (before softmax).</param>
/// <param name="Features">N rows of the pooled features the head consumes, or null for models that do not expose them.</param>
public sealed record ClassifierOutputs(float[][] Logits, float[][]? Features);
