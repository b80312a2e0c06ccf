using OneBit.ModelExport;
using Xunit;

namespace OneBit.Training.Tests;

public class TrainerTests
{
    internal static TrainOptions Tiny(string dir, int epochs) => new()
    {
        Depth = 8, Width = 1, Bits = 2, Epochs = epochs, BatchSize = 8, LearningRate = 0.05, Seed = 11, Threads = 1,
        Augmentation = new AugmentationOptions { Flip = true, CropPadding = 1, Cutout = 4 },
        OutputDirectory = dir, ModelName = "tiny",
    };

    [Fact]
    public void TinyNetworkOverfitsAHandfulOfImages()
    {
        var set = Synthetic.Images(perClass: 4, classes: 4);
        var data = new DatasetSplits("synthetic", set, set, null);
        string dir = Synthetic.TempDir();
        try
        {
            var o = Tiny(dir, 25) with { Augmentation = new AugmentationOptions { Flip = false, CropPadding = 0, Cutout = 0 }, LearningRate = 0.1 };
            var r = new Trainer(o, data).Run();
            Assert.True(r.Completed);
            Assert.True(r.History[^1].TrainLoss < 0.5 * r.History[0].TrainLoss, $"loss {r.History[0].TrainLoss} → {r.History[^1].TrainLoss}");
            Assert.True(r.History[^1].ValidationAccuracy >= 0.9, $"accuracy on the training images {r.History[^1].ValidationAccuracy}");
            Assert.True(r.History[^1].ValidationAccuracy > r.History[0].ValidationAccuracy || r.History[0].ValidationAccuracy >= 0.9);
            Assert.True(File.Exists(Path.Combine(dir, "curves.csv")));
            using (var png = SkiaSharp.SKBitmap.Decode(Path.Combine(dir, "curves.png")))
                Assert.Equal((TrainingCurves.PngWidth, TrainingCurves.PngHeight), (png.Width, png.Height));
            Assert.Equal(26, File.ReadAllLines(Path.Combine(dir, "curves.csv")).Length);

            var m = ModelExportReader.Read(r.ExportPath!);
            Assert.Equal("resnet_srelu", m.Architecture.Family);
            Assert.Equal(r.ValidationAccuracy, m.Metrics.ValidationAccuracy);
            Assert.All(m.Quantizers, q => { Assert.Equal(2, q.Bits); Assert.Equal(3, q.ZeroCode); Assert.Equal(2.0 / 3, q.Delta!.Value, 12); });
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ResumeAfterInterruptionGivesTheSameWeightsAsAnUninterruptedRun()
    {
        var set = Synthetic.Images(perClass: 5, classes: 3, seed: 9);
        var (train, val) = set.SplitLastPerClass(1);
        var data = new DatasetSplits("synthetic", train, val, null);
        string a = Synthetic.TempDir(), b = Synthetic.TempDir();
        try
        {
            var full = new Trainer(Tiny(a, 4) with { WarmRestarts = true, FirstCycle = 1 }, data).Run();
            var first = new Trainer(Tiny(b, 4) with { WarmRestarts = true, FirstCycle = 1 }, data).Run(stopAfterEpochs: 2);
            Assert.False(first.Completed);
            Assert.Null(first.ExportPath);
            var ck = Checkpoint.Load(b);
            Assert.Equal(2, ck.EpochsDone);
            var resumed = new Trainer(ck.Options with { OutputDirectory = b }, data, resume: ck).Run();
            Assert.True(resumed.Completed);

            var ma = ModelExportReader.Read(full.ExportPath!);
            var mb = ModelExportReader.Read(resumed.ExportPath!);
            Assert.Equal(ma.Tensors.Select(t => t.Name), mb.Tensors.Select(t => t.Name));
            for (int i = 0; i < ma.Tensors.Count; i++) Assert.Equal(ma.Tensors[i].Data, mb.Tensors[i].Data);
            Assert.Equal(ma.Temperature, mb.Temperature);
            Assert.Equal(full.History.Select(h => h.TrainLoss), resumed.History.Select(h => h.TrainLoss));
        }
        finally { Directory.Delete(a, true); Directory.Delete(b, true); }
    }

    [Fact]
    public void LearnedBatchNormScaleAndOffsetTrainAndNeedTheBnFamily()
    {
        Assert.Contains("--family bn", Assert.Throws<ArgumentException>(() => (Tiny("unused", 1) with { BatchNormAffine = true }).Validate()).Message);
        var set = Synthetic.Images(perClass: 3, classes: 3, seed: 4);
        var data = new DatasetSplits("synthetic", set, set, null);
        string dir = Synthetic.TempDir();
        try
        {
            var r = new Trainer(Tiny(dir, 2) with { Family = NetworkFamily.ResNetBatchNorm, BatchNormAffine = true }, data).Run();
            Assert.True(r.Completed);
            var ck = Checkpoint.Load(dir);
            var gammas = ck.Tensors.Where(t => t.Key.StartsWith("param/") && t.Key.EndsWith(".gamma")).Select(t => t.Value.Data).ToList();
            var betas = ck.Tensors.Where(t => t.Key.StartsWith("param/") && t.Key.EndsWith(".beta")).Select(t => t.Value.Data).ToList();
            Assert.Equal(7, gammas.Count); // depth 8: three blocks of two pre-activations, and the head's
            Assert.Equal(7, betas.Count);
            Assert.Contains(gammas, g => g.Any(v => Math.Abs(v - 1) > 1e-4));
            Assert.Contains(betas, b => b.Any(v => Math.Abs(v) > 1e-4));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void BatchNormVariantTrainsAndExportsItsStatistics()
    {
        var set = Synthetic.Images(perClass: 3, classes: 3, seed: 2);
        var data = new DatasetSplits("synthetic", set, set, null);
        string dir = Synthetic.TempDir();
        try
        {
            var o = Tiny(dir, 2) with { Family = NetworkFamily.ResNetBatchNorm, Bits = 1 };
            var r = new Trainer(o, data).Run();
            var m = ModelExportReader.Read(r.ExportPath!);
            Assert.Equal("resnet_bn", m.Architecture.Family);
            Assert.All(m.Quantizers, q => { Assert.Equal("relu", q.Activation); Assert.Equal(0, q.ZeroCode); Assert.NotNull(q.BatchNorm); });
            var pool = m.Layers[^1];
            Assert.Equal(LayerOps.GlobalPool, pool.Op);
            Assert.NotNull(pool.BatchNorm);
            Assert.Equal(new long[] { 3 }, m.Tensor(pool.BatchNorm!.Var).Shape);
        }
        finally { Directory.Delete(dir, true); }
    }
}
