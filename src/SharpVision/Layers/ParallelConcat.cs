using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>
/// Applies every branch to the same input and concatenates the results along channels (dimension 1): the
/// building block of Inception modules. Branches are children "0", "1", … (or named).
/// </summary>
public sealed class ParallelConcat : Module
{
    private readonly List<Module> branches = new();

    /// <summary>Creates the block from its branches.</summary>
    public ParallelConcat(params Module[] branches) : base("parallel_concat")
    {
        foreach (var b in branches) Append(b);
    }

    /// <summary>Adds a branch under the next index.</summary>
    public ParallelConcat Append(Module branch)
    {
        RegisterModule(branches.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), branch);
        branches.Add(branch);
        return this;
    }

    /// <summary>The branches in order.</summary>
    public IReadOnlyList<Module> Branches => branches;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (branches.Count == 0) throw new InvalidOperationException($"{Name}: no branches");
        var outputs = new List<Tensor>(branches.Count);
        try
        {
            foreach (var b in branches) outputs.Add(b.Call(input));
            return Tensor.Cat(outputs, 1);
        }
        finally
        {
            foreach (var o in outputs) o.Dispose();
        }
    }
}
