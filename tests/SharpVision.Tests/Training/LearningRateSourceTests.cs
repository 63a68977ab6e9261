using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Tests.Support;
using SharpVision.Training;
using SharpVision.Training.Callbacks;
using SharpVision.Training.Optimizers;

namespace SharpVision.Tests.Training;

/// <summary>The optimizer's learning rate is the one source of truth: the trainer scales it and never replaces it.</summary>
public class LearningRateSourceTests
{
    [Fact]
    public void SgdAtPointOneTrainsAtPointOne()
    {
        var (lr1, delta1) = OneStep(0.1);
        var (lr2, delta2) = OneStep(0.2);
        Assert.Equal(0.1, lr1, 12);
        Assert.Equal(0.2, lr2, 12);
        // Plain SGD: the first step is -lr × gradient, so twice the rate moves every weight twice as far.
        Assert.Contains(delta1, d => Math.Abs(d) > 1e-4);
        for (var i = 0; i < delta1.Length; i++) Assert.Equal(2 * delta1[i], delta2[i], 5);
    }

    private static (double Lr, float[] Delta) OneStep(double lr)
    {
        using var model = new Linear(4, 2);
        using (var _ = Torch.NoGrad())
        {
            var rng = new Random(3);
            foreach (var (_, p) in model.NamedParameters())
                { using var init = Tensor.FromArray(Enumerable.Range(0, (int)p.Value.NumberOfElements).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray(), p.Value.Shape); p.Value.Copy_(init); }
        }
        var before = model.NamedParameters().SelectMany(p => p.Parameter.Value.ToArray<float>()).ToArray();
        using var opt = new Sgd(model, lr);
        using var loss = new LossFunction();
        var trainer = new Trainer(model, opt, loss, new TrainerOptions { Epochs = 1 }) { Log = _ => { } };
        var history = trainer.Fit(new BlobSource(8, 0), null, Array.Empty<Callback>());
        var after = model.NamedParameters().SelectMany(p => p.Parameter.Value.ToArray<float>()).ToArray();
        return (history[0]["lr"], after.Zip(before, (a, b) => a - b).ToArray());
    }
}
