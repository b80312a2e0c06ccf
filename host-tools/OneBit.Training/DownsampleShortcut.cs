using TorchSharp;
using static TorchSharp.torch;

namespace OneBit.Training;

/// <summary>
/// Parameter-free shortcut of a downsampling block (McDonnell 2018 §2.2): 3×3 average pool, stride 2,
/// padding 1, padded cells excluded from the divisor (count_include_pad = false; CONTRACT.md §5), then
/// zero channels appended up to the block's output width.
/// </summary>
public sealed class DownsampleShortcut : nn.Module<Tensor, Tensor>
{
    readonly int _inChannels, _outChannels, _stride;

    public DownsampleShortcut(string name, int inChannels, int outChannels, int stride) : base(name)
    {
        _inChannels = inChannels; _outChannels = outChannels; _stride = stride;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var _ = NewDisposeScope();
        Tensor y = _stride == 1 ? x.alias()
            : nn.functional.avg_pool2d(x, new long[] { 3, 3 }, new long[] { _stride, _stride }, new long[] { 1, 1 },
                ceil_mode: false, count_include_pad: false);
        if (_outChannels > _inChannels)
        {
            var z = zeros(y.shape[0], _outChannels - _inChannels, y.shape[2], y.shape[3], dtype: y.dtype, device: y.device);
            y = cat(new[] { y, z }, 1);
        }
        return y.MoveToOuterDisposeScope();
    }
}
