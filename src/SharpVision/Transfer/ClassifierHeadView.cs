using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Models;

namespace SharpVision.Transfer;

/// <summary>
/// A module that IS a classifier's head, for training it on cached features: <see cref="Module.Forward"/> runs the
/// model's own <see cref="IClassifierModel.ForwardHead"/> (dropout included), and its parameters are aliases of the
/// model's head parameters under the same names ("classifier.1.weight"), so every optimizer step updates the model
/// itself and a checkpoint of the view holds only the head. Disposing the view frees only the aliases, never the
/// model's weights.
/// </summary>
/// <remarks>
/// Create the view after moving the model to its device (a move replaces the parameter tensors). Its training flag is
/// copied to every module of the model before each call, so the head's dropout (wherever the model keeps it, e.g.
/// MobileNetV2's classifier.0) follows the trainer's train/eval switching; the backbone is not run by the view.
/// </remarks>
public sealed class ClassifierHeadView : Module
{
    private readonly IClassifierModel model;
    private readonly Module[] modules;

    /// <summary>Creates the view of <paramref name="model"/>'s head.</summary>
    public ClassifierHeadView(IClassifierModel model) : base("head_view")
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
        var heads = model.HeadPaths;
        bool IsHead(string name) => heads.Any(h => name.StartsWith(h + ".", StringComparison.Ordinal));
        var views = new Dictionary<string, Holder>(StringComparer.Ordinal);
        Holder HolderFor(string dottedPrefix)
        {
            if (dottedPrefix.Length == 0) throw new InvalidOperationException("head tensors must live inside a head module");
            if (views.TryGetValue(dottedPrefix, out var h)) return h;
            var dot = dottedPrefix.LastIndexOf('.');
            var leaf = dot < 0 ? dottedPrefix : dottedPrefix[(dot + 1)..];
            h = new Holder();
            if (dot < 0) RegisterModule(leaf, h);
            else HolderFor(dottedPrefix[..dot]).AddChild(leaf, h);
            views[dottedPrefix] = h;
            return h;
        }
        foreach (var (name, p) in model.Model.NamedParameters().Where(p => IsHead(p.Name)))
        {
            var dot = name.LastIndexOf('.');
            HolderFor(name[..dot]).AddParameter(name[(dot + 1)..], p.Value.Alias(), p.RequiresGrad);
        }
        foreach (var (name, b) in model.Model.NamedBuffers().Where(b => IsHead(b.Name)))
        {
            var dot = name.LastIndexOf('.');
            HolderFor(name[..dot]).AddBuffer(name[(dot + 1)..], b.Alias());
        }
        modules = model.Model.NamedModules().Select(m => m.Module).ToArray();
    }

    /// <summary>The model whose head this is.</summary>
    public IClassifierModel Classifier => model;

    /// <summary>Features [N, FeatureDim] → logits [N, classes], through the model's head.</summary>
    public override Tensor Forward(Tensor input)
    {
        foreach (var m in modules) m.SetTrainingFlag(Training);
        return model.ForwardHead(input);
    }

    /// <summary>Holds aliased tensors at one level of a head path.</summary>
    private sealed class Holder() : Module("head_part")
    {
        public override Tensor Forward(Tensor input) => throw new InvalidOperationException("a head view part is not callable; call the ClassifierHeadView");

        internal void AddChild(string name, Module child) => RegisterModule(name, child);

        internal void AddParameter(string name, Tensor alias, bool requiresGrad) => RegisterParameter(name, alias, requiresGrad);

        internal void AddBuffer(string name, Tensor alias) => RegisterBuffer(name, alias);
    }
}
