using OneBit.Datasets;

namespace OneBit.Training;

/// <summary>Training-time augmentation of the paper's recipe (McDonnell 2018 §3, 2019 §4).</summary>
public sealed record AugmentationOptions
{
    /// <summary>Random horizontal flip with probability ½.</summary>
    public bool Flip { get; init; } = true;
    /// <summary>Pad by this many pixels on each side (value 0), then crop a random H×W window.</summary>
    public int CropPadding { get; init; } = 4;
    /// <summary>Cutout (DeVries &amp; Taylor 2017): a size×size square at a uniformly random centre, clipped at
    /// the borders, set to the channel mean (0 after the input affine). 0 = off.</summary>
    public int Cutout { get; init; } = 16;
}

/// <summary>Writes augmented images into a float NCHW batch of raw pixel values (0…255).</summary>
public sealed class Augmenter
{
    readonly AugmentationOptions _o;
    readonly float[] _mean;

    public Augmenter(AugmentationOptions options, double[] channelMean)
    {
        _o = options;
        _mean = channelMean.Select(v => (float)v).ToArray();
    }

    /// <summary>Copies image <paramref name="i"/> of <paramref name="set"/> into slot <paramref name="slot"/> of
    /// <paramref name="batch"/> (NCHW), augmented when <paramref name="rng"/> is given.</summary>
    public void Fill(ImageSet set, int i, float[] batch, int slot, DeterministicRng? rng)
    {
        int h = set.Height, w = set.Width, c = set.Channels, plane = h * w;
        var img = set.Image(i);
        int dy = 0, dx = 0; bool flip = false;
        int cy = -1, cx = -1;
        if (rng is not null)
        {
            if (_o.Flip) flip = rng.NextBool();
            if (_o.CropPadding > 0) { dy = rng.Next(2 * _o.CropPadding + 1) - _o.CropPadding; dx = rng.Next(2 * _o.CropPadding + 1) - _o.CropPadding; }
            if (_o.Cutout > 0) { cy = rng.Next(h); cx = rng.Next(w); }
        }
        int half = _o.Cutout / 2;
        int baseIdx = slot * c * plane;
        for (int y = 0; y < h; y++)
        {
            int sy = y + dy;
            bool cutRow = cy >= 0 && y >= cy - half && y < cy - half + _o.Cutout;
            for (int x = 0; x < w; x++)
            {
                int sxr = x + dx;
                int sx = flip ? w - 1 - sxr : sxr;
                bool inside = sy >= 0 && sy < h && sxr >= 0 && sxr < w;
                bool cut = cutRow && x >= cx - half && x < cx - half + _o.Cutout;
                for (int ch = 0; ch < c; ch++)
                {
                    float v = cut ? _mean[ch] : inside ? img[(sy * w + sx) * c + ch] : 0f;
                    batch[baseIdx + ch * plane + y * w + x] = v;
                }
            }
        }
    }
}
