using OneBit.Runtime.Execution;
using OneBit.Runtime.Host;

namespace OneBit.Runtime.Tests;

/// <summary>Runners that must agree bit for bit (every kernel set reproduces the reference, CONTRACT.md §3–§6).</summary>
public static class RunnerAgreement
{
    /// <summary>On <paramref name="frames"/> random frames drawn from <paramref name="rng"/>, every runner gives the class
    /// and the logits of <paramref name="expected"/>.</summary>
    public static void AssertAgree(Random rng, int frames, IFrameClassifier expected, params IFrameClassifier[] runners)
    {
        for (int f = 0; f < frames; f++)
        {
            byte[] pixels = SyntheticNetworks.RandomPixels(rng, expected.Network.InputBytes);
            int cls = expected.Run(pixels);
            foreach (IFrameClassifier r in runners)
            {
                Assert.Equal(cls, r.Run(pixels));
                Assert.Equal(expected.Logits, r.Logits);
            }
        }
    }
}
