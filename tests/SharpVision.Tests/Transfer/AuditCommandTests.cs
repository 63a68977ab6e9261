using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Models;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Transfer;

[Collection("Serial")]
public class AuditCommandTests
{
    [Fact]
    public void AuditFindsAPlantedMislabelledImageAndTrainCanLeaveItOut()
    {
        using var tmp = new TempDirectory();
        var data = TransferFixtures.WriteImageFolder(tmp.File("data"), classes: 3, perClass: 12, seed: 4);
        // A red (class0) picture filed under class2.
        var planted = Path.Combine(data, "class2", "planted.png");
        File.Copy(Path.Combine(data, "class0", "img03.png"), planted);
        var weights = tmp.File("resnet18.safetensors");
        Torch.ManualSeed(11);
        using (var imagenet = ModelZoo.Create("resnet18", new ModelOptions { NumClasses = 1000 }))
        {
            var state = imagenet.StateDict();
            SafeTensors.Save(weights, state);
            foreach (var t in state.Values) t.Dispose();
        }
        var report = tmp.File("audit");
        using (var audit = CliProcess.Start(new[] { "audit", "--data", data, "--model", "resnet18", "--pretrained", weights, "--input", "32",
                   "--folds", "3", "--threads", "1", "--out", report }))
        {
            Assert.True(audit.WaitForExit(TimeSpan.FromSeconds(120)), "audit timed out: " + audit.Output);
            Assert.True(audit.ExitCode == 0, audit.Output);
            Assert.Contains("out-of-fold accuracy", audit.Stdout);
            Assert.Contains("labelled class2, looks like class0", audit.Stdout);
        }
        var csv = File.ReadAllLines(Path.Combine(report, "label-issues.csv"));
        Assert.Equal("rank,file,given,suggested,p_given,p_suggested", csv[0]);
        Assert.StartsWith($"1,{planted},class2,class0,", csv[1]);
        var excluded = File.ReadAllLines(Path.Combine(report, "exclude.txt"));
        Assert.Contains(planted, excluded);
        Assert.True(new FileInfo(Path.Combine(report, "label-issues.png")).Length > 1000);

        // Auditing only the training part of a split leaves the validation images out.
        using (var part = CliProcess.Start(new[] { "audit", "--data", data, "--model", "resnet18", "--pretrained", weights, "--input", "32",
                   "--folds", "3", "--val-split", "0.25", "--threads", "1", "--out", tmp.File("audit-part") }))
        {
            Assert.True(part.WaitForExit(TimeSpan.FromSeconds(120)), "audit timed out: " + part.Output);
            Assert.True(part.ExitCode == 0, part.Output);
            Assert.Contains("auditing the 28 training images of the stratified split (the 9 validation images are left out)", part.Stdout);
        }
        using (var fold = CliProcess.Start(new[] { "audit", "--data", data, "--model", "resnet18", "--pretrained", weights, "--input", "32",
                   "--folds", "3", "--val-fold", "1/4", "--threads", "1", "--out", tmp.File("audit-fold") }))
        {
            Assert.True(fold.WaitForExit(TimeSpan.FromSeconds(120)), "audit timed out: " + fold.Output);
            Assert.True(fold.ExitCode == 0, fold.Output);
            Assert.Contains("auditing the 27 training images of the stratified split (the 10 validation images are left out)", fold.Stdout);
        }

        // Train without it: only the listed training images go; the count says so.
        var list = tmp.File("exclude.txt");
        File.WriteAllLines(list, new[] { "# checked by hand", "", planted, Path.Combine(data, "class1", "img00.png") });
        using (var train = CliProcess.Start(new[] { "train", "--data", data, "--model", "fashion-cnn", "--input", "16", "--val-split", "0",
                   "--epochs", "1", "--batch", "8", "--threads", "1", "--exclude", list, "--out", tmp.File("run"), "--no-progress" }))
        {
            Assert.True(train.WaitForExit(TimeSpan.FromSeconds(120)), "train timed out: " + train.Output);
            Assert.True(train.ExitCode == 0, train.Output);
            Assert.Contains("Excluded 2 training image(s)", train.Stdout);
            Assert.Contains("35 training images", train.Stdout);
        }
        // Validation images are never excluded: listing one changes nothing, and the count says so.
        var (_, heldOut) = SharpVision.Data.DatasetSplit.Stratified(SharpVision.Data.ImageFolderDataset.Open(data), 0.25, 0);
        File.WriteAllLines(list, new[] { heldOut.Name(0) });
        using (var keep = CliProcess.Start(new[] { "train", "--data", data, "--model", "fashion-cnn", "--input", "16", "--val-split", "0.25",
                   "--epochs", "1", "--batch", "8", "--threads", "1", "--exclude", list, "--out", tmp.File("run-val"), "--no-progress" }))
        {
            Assert.True(keep.WaitForExit(TimeSpan.FromSeconds(120)), "train timed out: " + keep.Output);
            Assert.True(keep.ExitCode == 0, keep.Output);
            Assert.Contains("Excluded 0 training image(s)", keep.Stdout);
            Assert.Contains("28 training images, 9 validation images", keep.Stdout);
        }
        using (var missing = CliProcess.Start(new[] { "train", "--data", data, "--model", "fashion-cnn", "--input", "16", "--epochs", "1",
                   "--exclude", tmp.File("nope.txt"), "--out", tmp.File("run2"), "--no-progress" }))
        {
            Assert.True(missing.WaitForExit(TimeSpan.FromSeconds(60)));
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("nope.txt", missing.Stderr);
        }
    }
}
