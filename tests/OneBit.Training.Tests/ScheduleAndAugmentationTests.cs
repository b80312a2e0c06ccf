using Xunit;

namespace OneBit.Training.Tests;

public class ScheduleAndAugmentationTests
{
    [Fact]
    public void CosineDecaysFromBaseToMinOverTheRun()
    {
        var s = new LearningRateSchedule(0.1, 0, 10, WarmRestarts: false);
        Assert.Equal(0.1, s.At(0, 0, 100), 12);
        Assert.Equal(0.05, s.At(5, 0, 100), 12);
        Assert.True(s.At(9, 99, 100) < 1e-4);
    }

    [Fact]
    public void WarmRestartsDoubleTheCycle()
    {
        var s = new LearningRateSchedule(0.1, 0, 14, WarmRestarts: true, FirstCycle: 2);
        Assert.Equal((0, 2), s.Cycle(1));
        Assert.Equal((2, 4), s.Cycle(2));
        Assert.Equal((6, 8), s.Cycle(13));
        Assert.Equal(0.1, s.At(2, 0, 10), 12);
        Assert.Equal(0.1, s.At(6, 0, 10), 12);
        Assert.Equal(0.05, s.At(4, 0, 10), 12);
        Assert.Equal(new[] { 2, 6, 14, 30 }, LearningRateSchedule.CycleEnds(2).Take(4));
    }

    [Fact]
    public void WithoutRngTheImageIsCopiedToNchw()
    {
        var set = Synthetic.Images(1, 1, size: 3, channels: 2);
        var batch = new float[2 * 9 * 2];
        new Augmenter(new AugmentationOptions(), new[] { 0.0, 0.0 }).Fill(set, 0, batch, 1, null);
        var img = set.Image(0);
        for (int p = 0; p < 9; p++)
            for (int c = 0; c < 2; c++) Assert.Equal(img[p * 2 + c], batch[18 + c * 9 + p]);
    }

    [Fact]
    public void AugmentationIsAFunctionOfSeedAndEpoch()
    {
        var set = Synthetic.Images(2, 2, size: 8);
        var aug = new Augmenter(new AugmentationOptions { Cutout = 4 }, new[] { 100.0 });
        float[] Run(int epoch)
        {
            var rng = DeterministicRng.ForEpoch(5, epoch);
            var b = new float[64 * 4];
            for (int i = 0; i < 4; i++) aug.Fill(set, i, b, i, rng);
            return b;
        }
        Assert.Equal(Run(3), Run(3));
        Assert.NotEqual(Run(3), Run(4));
    }

    [Fact]
    public void ResumeMayChangeThreadsAndWarmRestartLengthToACycleEndOnly()
    {
        var sgdr = new TrainOptions { Epochs = 45, WarmRestarts = true, FirstCycle = 3, Threads = 1 };
        var shorter = sgdr.ForResume(threads: 2, epochs: 21, epochsDone: 12);
        Assert.Equal((2, 21), (shorter.Threads, shorter.Epochs));
        for (int e = 0; e < 21; e++) Assert.Equal(sgdr.Schedule().At(e, 5, 10), shorter.Schedule().At(e, 5, 10));
        Assert.Contains("cycle end", Assert.Throws<ArgumentException>(() => sgdr.ForResume(null, 30, 12)).Message);
        Assert.Contains("already done", Assert.Throws<ArgumentException>(() => sgdr.ForResume(null, 9, 12)).Message);
        var cosine = new TrainOptions { Epochs = 30 };
        Assert.Throws<ArgumentException>(() => cosine.ForResume(null, 20, 5));
        Assert.Equal(30, cosine.ForResume(4, 30, 5).Epochs);
    }
}
