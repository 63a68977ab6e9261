using SharpVision.Tests.Explain;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Cli;

/// <summary>
/// Files shared by the evaluate tests: a test folder of coloured squares (8 per class, plus one corrupt JPEG), a
/// well-trained LeNet-5 in run/ beside a history.csv, and a briefly trained one whose classes are in another order.
/// </summary>
public sealed class ColourDataFixture : IDisposable
{
    private readonly TempDirectory temp = new("sv-evalcli");

    public ColourDataFixture()
    {
        Data = temp.File("data");
        ColourSquares.WriteFolder(Data, perClass: 8, seed: 5);
        CorruptFile = Path.Combine(Data, "red", "broken.jpg");
        var good = File.ReadAllBytes(Path.Combine(Data, "red", "001.jpg"));
        File.WriteAllBytes(CorruptFile, good.AsSpan(0, good.Length / 3).ToArray()); // valid header, truncated data
        Directory.CreateDirectory(temp.File("run"));
        GoodModel = temp.File("run/model.safetensors");
        ColourSquares.TrainAndSave(GoodModel, steps: 60, seed: 1);
        File.WriteAllText(temp.File("run/history.csv"), "epoch,loss,accuracy,val_loss,val_accuracy\n1,1.0,0.5,0.9,0.6\n2,0.5,0.8,0.6,0.8\n3,0.2,0.95,0.3,0.9\n");
        Directory.CreateDirectory(temp.File("other"));
        ReorderedModel = temp.File("other/reordered.safetensors");
        ColourSquares.TrainAndSave(ReorderedModel, steps: 25, seed: 2, classes: ["red", "green", "blue"]);
    }

    /// <summary>The test folder.</summary>
    public string Data { get; }

    /// <summary>A truncated JPEG inside the test folder.</summary>
    public string CorruptFile { get; }

    /// <summary>LeNet-5 trained for 60 steps, classes blue, green, red; history.csv beside it.</summary>
    public string GoodModel { get; }

    /// <summary>LeNet-5 trained for 25 steps with classes red, green, blue.</summary>
    public string ReorderedModel { get; }

    /// <summary>A path in the fixture's temporary folder.</summary>
    public string PathOf(string name) => temp.File(name);

    public void Dispose() => temp.Dispose();
}
