using SharpVision.Engine;
using SharpVision.Transfer;

namespace SharpVision.Tests.Transfer;

public class ClassifierHeadViewTests
{
    [Fact]
    public void TheViewSharesTheHeadsTensorsUnderTheModelsNamesAndFollowsTrainEval()
    {
        using var model = TransferFixtures.MobileNet(4);
        var view = new ClassifierHeadView(model);
        Assert.Equal(new[] { "classifier.1.weight", "classifier.1.bias" }, view.NamedParameters().Select(p => p.Name));
        using (Torch.NoGrad()) view.NamedParameters().First(p => p.Name == "classifier.1.bias").Parameter.Value.Fill_(0.5);
        Assert.Equal(0.5f, model["classifier.1"].DirectParameters().First(p => p.Name == "bias").Parameter.Value.ToArray<float>()[2]);

        using var scope = Torch.NewDisposeScope();
        var features = Tensor.Ones(new long[] { 2, 1280 });
        view.Eval();
        var logits = view.Forward(features);
        Assert.False(model["classifier.0"].Training);
        Assert.Equal(new long[] { 2, 4 }, logits.Shape);
        view.Train();
        using (var _ = view.Forward(features)) Assert.True(model["classifier.0"].Training);

        // Disposing the view frees its aliases only; the model keeps working.
        view.Dispose();
        using var noGrad = Torch.NoGrad();
        Assert.Equal(new long[] { 1, 4 }, model.Forward(Tensor.Zeros(new long[] { 1, 3, 32, 32 })).Shape);
    }
}
