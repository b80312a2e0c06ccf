using System.Runtime.InteropServices;
using OneBit.Datasets;
using OneBit.ModelExport;
using Xunit;

namespace OneBit.Training.Tests;

/// <summary>Trainer.RunResuming: a libtorch failure in the middle of a run costs the unfinished epoch, not the run.</summary>
public class RecoveryTests
{
    /// <summary>Throws what a failed libtorch check throws, once, at the first batch of the given epoch.</summary>
    sealed class FailOnce(int epoch) : ITrainingObserver
    {
        public bool Failed { get; private set; }
        public List<string> Messages { get; } = new();
        public void OnMessage(string message) => Messages.Add(message);
        public void OnBatch(in BatchProgress p)
        {
            if (Failed || p.Epoch != epoch || p.Batch != 1) return;
            Failed = true;
            throw new ExternalException("Expected false to be true, but got false. (injected)");
        }
    }

    static DatasetSplits Data()
    {
        var (train, val) = Synthetic.Images(perClass: 5, classes: 3, seed: 9).SplitLastPerClass(1);
        return new DatasetSplits("synthetic", train, val, null);
    }

    [Theory]
    [InlineData(1, "restarting from the start")]
    [InlineData(3, "resuming after epoch 2")]
    public void AFailedEpochIsRedoneAndTheRunEndsAsAnUninterruptedOne(int failAt, string expected)
    {
        var data = Data();
        string a = Synthetic.TempDir(), b = Synthetic.TempDir();
        try
        {
            var full = new Trainer(TrainerTests.Tiny(a, 4), data).Run();
            // A finished run's checkpoint left in the directory must not be taken for this run's.
            File.Copy(Path.Combine(a, Checkpoint.FileName), Path.Combine(b, Checkpoint.FileName));
            var obs = new FailOnce(failAt);
            var recovered = new Trainer(TrainerTests.Tiny(b, 4), data, obs).RunResuming(maxRecoveries: 2);
            Assert.True(obs.Failed);
            Assert.Contains(obs.Messages, m => m.Contains("injected") && m.Contains("recovery 1 of 2") && m.Contains(expected));
            Assert.True(recovered.Completed);
            Assert.Equal(full.History.Select(h => h.TrainLoss), recovered.History.Select(h => h.TrainLoss));
            Assert.Equal(full.History.Select(h => h.ValidationAccuracy), recovered.History.Select(h => h.ValidationAccuracy));
            var ma = ModelExportReader.Read(full.ExportPath!);
            var mb = ModelExportReader.Read(recovered.ExportPath!);
            Assert.Equal(ma.Tensors.Select(t => t.Name), mb.Tensors.Select(t => t.Name));
            for (int i = 0; i < ma.Tensors.Count; i++) Assert.Equal(ma.Tensors[i].Data, mb.Tensors[i].Data);
        }
        finally { Directory.Delete(a, true); Directory.Delete(b, true); }
    }

    [Fact]
    public void WithoutRecoveriesLeftTheFailureReachesTheCaller()
    {
        string dir = Synthetic.TempDir();
        try
        {
            var obs = new FailOnce(2);
            var e = Assert.Throws<ExternalException>(() => new Trainer(TrainerTests.Tiny(dir, 3), Data(), obs).RunResuming(maxRecoveries: 0));
            Assert.Contains("injected", e.Message);
            Assert.Equal(1, Checkpoint.Load(dir).EpochsDone);
        }
        finally { Directory.Delete(dir, true); }
    }
}
