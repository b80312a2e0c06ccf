using Xunit;

namespace OneBit.Training.Tests;

public class DatasetLoaderTests
{
    [Fact]
    public void InputSizeBringsEverySplitToTheModelSizeWithTheDevicePreprocessing()
    {
        string dir = Synthetic.TempDir();
        try
        {
            // CIFAR-10 binary batches of four records each: twenty 32×32 images, labels i mod 10, two per class.
            for (int b = 0; b < 5; b++)
            {
                var batch = new byte[4 * 3073];
                for (int r = 0; r < 4; r++)
                {
                    int i = 4 * b + r;
                    batch[r * 3073] = (byte)(i % 10);
                    for (int p = 0; p < 3072; p++) batch[r * 3073 + 1 + p] = (byte)(p * 7 + i * 13);
                }
                File.WriteAllBytes(Path.Combine(dir, $"data_batch_{b + 1}.bin"), batch);
            }
            var all = CifarBinary.Load(dir, cifar100: false);
            var splits = DatasetLoader.Load(new TrainOptions { Dataset = "cifar10", DataPath = dir, ValidationPerClass = 1, InputSize = 16 });
            Assert.Equal((16, 16, 10), (splits.Train.Height, splits.Train.Width, splits.Train.Count));
            Assert.Equal((16, 16, 10), (splits.Validation.Height, splits.Validation.Width, splits.Validation.Count));
            // the held-out image of class 0 is its last one in file order, image 10, resized as the device would
            var resized = all.ResizedTo(16, 16);
            Assert.Equal(resized.Image(10).ToArray(), splits.Validation.Image(0).ToArray());
            Assert.Equal(resized.Image(0).ToArray(), splits.Train.Image(0).ToArray());
            Assert.NotEqual(resized.Image(0).ToArray(), resized.Image(10).ToArray());
        }
        finally { Directory.Delete(dir, true); }
    }
}
