namespace SharpVision.Training.Callbacks;

/// <summary>
/// Hooks into <see cref="Trainer.Fit"/> in the Keras spirit. Every hook has an empty default; override what you need.
/// Callbacks that keep state across epochs (best value, patience counter) save it with <see cref="GetState"/> so that
/// a resumed run behaves as if it had never stopped.
/// </summary>
public abstract class Callback
{
    /// <summary>A stable key for this callback's state in checkpoints.</summary>
    public virtual string StateKey => GetType().Name;

    /// <summary>Before the first epoch (also after a resume).</summary>
    public virtual void OnTrainBegin(TrainingContext context) { }

    /// <summary>After the last epoch or early stop.</summary>
    public virtual void OnTrainEnd(TrainingContext context) { }

    /// <summary>Before each epoch (0-based index).</summary>
    public virtual void OnEpochBegin(TrainingContext context, int epoch) { }

    /// <summary>After each epoch, with the epoch's metrics (already in the history).</summary>
    public virtual void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> metrics) { }

    /// <summary>Before each training batch.</summary>
    public virtual void OnBatchBegin(TrainingContext context, int batch) { }

    /// <summary>After each training batch, with running metrics (loss, accuracy, images_per_second, lr).</summary>
    public virtual void OnBatchEnd(TrainingContext context, int batch, IReadOnlyDictionary<string, double> logs) { }

    /// <summary>State to checkpoint.</summary>
    public virtual Dictionary<string, string> GetState() => new();

    /// <summary>Restores checkpointed state.</summary>
    public virtual void SetState(IReadOnlyDictionary<string, string> state) { }
}
