namespace OneBit.Training;

/// <summary>Progress of the current epoch, reported after every batch.</summary>
public readonly record struct BatchProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, double Accuracy,
    double ImagesPerSecond, double LearningRate, double EtaSeconds);

/// <summary>Receives training progress (the CLI draws it as a progress bar). All calls come from the
/// training thread.</summary>
public interface ITrainingObserver
{
    void OnMessage(string message) { }
    void OnBatch(in BatchProgress progress) { }
    void OnEpoch(EpochRecord record, int epochs) { }
}
