namespace SharpVision.Training.Health;

/// <summary>One problem the health monitor found: what it saw (evidence) and what to do about it (advice).</summary>
/// <param name="Check">The check that fired.</param>
/// <param name="Epoch">The epoch (1-based) it was found in.</param>
/// <param name="Step">The optimizer step (global) it was found at.</param>
/// <param name="Layer">The layer concerned, or null for the whole model.</param>
/// <param name="Evidence">What was measured, e.g. "98% of ReLU units never fire on the probe batch".</param>
/// <param name="Advice">A concrete next step, e.g. "lower --lr (lr-find suggests 2e-4) or use a model with BatchNorm".</param>
public sealed record HealthFinding(HealthCheck Check, int Epoch, long Step, string? Layer, string Evidence, string Advice)
{
    /// <summary>The console line: "layer: evidence; advice".</summary>
    public string Message => (Layer is null ? "" : Layer + ": ") + Evidence + "; " + Advice;

    /// <summary>Key for reporting each kind of problem once per run.</summary>
    internal string Key => Check.ToString();
}
