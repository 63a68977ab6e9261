using SharpVision.Layers;
using SharpVision.Training.Optimizers;

namespace SharpVision.Training;

/// <summary>What callbacks see of a running <see cref="Trainer.Fit"/>.</summary>
public sealed class TrainingContext
{
    internal TrainingContext(Module model, Optimizer optimizer, History history, int epochs, int stepsPerEpoch, Action<string> saveModel)
    {
        Model = model;
        Optimizer = optimizer;
        History = history;
        Epochs = epochs;
        StepsPerEpoch = stepsPerEpoch;
        this.saveModel = saveModel;
    }

    private readonly Action<string> saveModel;

    /// <summary>The model being trained.</summary>
    public Module Model { get; }

    /// <summary>The optimizer.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Completed epochs' metrics.</summary>
    public History History { get; }

    /// <summary>Total epochs requested.</summary>
    public int Epochs { get; }

    /// <summary>Optimizer steps per epoch.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>Optimizer steps done so far in the whole run.</summary>
    public long GlobalStep { get; internal set; }

    /// <summary>The current epoch (0-based).</summary>
    public int Epoch { get; internal set; }

    /// <summary>Set by a callback (early stopping) to end training after this epoch.</summary>
    public bool StopTraining { get; set; }

    /// <summary>Why training stopped early, for the summary.</summary>
    public string? StopReason { get; set; }

    /// <summary>False on non-zero ranks of distributed training: they must not write files.</summary>
    public bool IsPrimary { get; internal set; } = true;

    /// <summary>Writes the model (weights + metadata: classes, input, normalisation) to a file, atomically.</summary>
    public void SaveModel(string path) => saveModel(path);

    /// <summary>Prints a message for the user (the trainer's log sink).</summary>
    public Action<string> Log { get; internal set; } = Console.WriteLine;
}
