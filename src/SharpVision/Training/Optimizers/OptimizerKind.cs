namespace SharpVision.Training.Optimizers;

/// <summary>The optimizers that <c>train</c> and the Learner create by name.</summary>
public enum OptimizerKind
{
    /// <summary>Adam (default rate 1e-3).</summary>
    Adam,
    /// <summary>AdamW, decoupled weight decay (default rate 1e-3, decay 0.01).</summary>
    AdamW,
    /// <summary>SGD with Nesterov momentum when momentum &gt; 0 (default rate 0.01).</summary>
    Sgd,
    /// <summary>RMSprop (default rate 1e-3).</summary>
    RmsProp,
}
