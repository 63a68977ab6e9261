using SharpVision.Engine;

namespace SharpVision.Tests.Engine;

/// <summary>End to end: autograd + Functional + in-place Adam actually learn.</summary>
public class LearningTests
{
    [Fact]
    public void TinyConvNetLearnsHorizontalVersusVerticalStripes()
    {
        using var scope = Torch.NewDisposeScope();
        using var g = new Generator(11);
        using var net = new TinyConvNet(classes: 2, g);
        var (train, trainLabels) = StripesData.Make(512, seed: 1);
        var (test, testLabels) = StripesData.Make(400, seed: 2);
        var before = net.Accuracy(test, testLabels);
        double firstLoss = 0, lastLoss = 0;
        for (var epoch = 0; epoch < 4; epoch++)
        {
            for (var b = 0; b < 512; b += 32)
            {
                using var step = Torch.NewDisposeScope();
                var loss = net.TrainStep(train.Narrow(0, b, 32), trainLabels.Narrow(0, b, 32));
                if (epoch == 0 && b == 0) firstLoss = loss;
                lastLoss = loss;
            }
        }
        var after = net.Accuracy(test, testLabels);
        Assert.True(after >= 0.99, $"test accuracy {after:P1} (before training {before:P1}, loss {firstLoss:F3} → {lastLoss:F3})");
        Assert.True(lastLoss < firstLoss / 5, $"loss {firstLoss:F3} → {lastLoss:F3}");
    }
}
