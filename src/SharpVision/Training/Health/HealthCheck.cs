namespace SharpVision.Training.Health;

/// <summary>What the <see cref="Callbacks.TrainingHealthMonitor"/> checks.</summary>
public enum HealthCheck
{
    /// <summary>The training loss sits at ln(classes): the model predicts chance.</summary>
    StuckLoss,
    /// <summary>The loss became NaN or infinite.</summary>
    NonFinite,
    /// <summary>A layer's gradient is huge compared with its weights.</summary>
    ExplodingGradients,
    /// <summary>Layers get (almost) no gradient.</summary>
    VanishingGradients,
    /// <summary>Most ReLU units of a layer never fire on the probe batch.</summary>
    DeadRelu,
    /// <summary>Training accuracy far above validation accuracy.</summary>
    Overfitting,
    /// <summary>The validation loss stopped improving.</summary>
    Plateau,
}
