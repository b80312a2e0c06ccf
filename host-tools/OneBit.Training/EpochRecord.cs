namespace OneBit.Training;

/// <summary>One row of the training curves.</summary>
public sealed record EpochRecord(int Epoch, double LearningRate, double TrainLoss, double TrainAccuracy,
    double ValidationLoss, double ValidationAccuracy, double ImagesPerSecond, double EpochSeconds, double ElapsedSeconds);
