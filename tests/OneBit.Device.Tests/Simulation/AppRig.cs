using OneBit.App;
using OneBit.App.Hardware;
using OneBit.Runtime.Frames;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;

namespace OneBit.Device.Tests.Simulation;

public sealed class ListOutput : IAppOutput
{
    public readonly List<string> Lines = new();
    public void WriteLine(string line) => Lines.Add(line);
    public string Text => string.Join("\n", Lines);
}

public sealed class RecordingLed : IStatusLed
{
    public readonly List<bool> States = new();
    public void Set(bool on) => States.Add(on);
}

public sealed class FixedMemory : IMemoryProbe
{
    public long Free = 3_500_000;
    public long FreeBytes() => Free;
}

/// <summary>
/// Wraps a synthetic source and fails on a script: 'o' ok, 'f' device fault, 'b' bad frame, 'x' an unexpected
/// exception (a bug in a driver). The script repeats.
/// </summary>
public sealed class ScriptedSource : IRecoverableFrameSource
{
    private readonly SyntheticFrameSource _inner;
    private readonly string _script;
    public int Calls;
    public int Recoveries;
    public bool RecoverFails;

    public ScriptedSource(string script, int width = 40, int height = 30, PixelFormat format = PixelFormat.Rgb565)
    {
        _script = script;
        _inner = new SyntheticFrameSource(width, height, format, SyntheticPattern.Noise, 9);
    }

    public int Width => _inner.Width;
    public int Height => _inner.Height;
    public PixelFormat Format => _inner.Format;
    public int FrameBytes => _inner.FrameBytes;

    public void Capture(byte[] buffer)
    {
        char c = _script[Calls++ % _script.Length];
        switch (c)
        {
            case 'f': throw new FrameSourceException("simulated camera fault");
            case 'b': throw new BadFrameException("simulated short frame");
            case 'x': throw new InvalidOperationException("simulated driver bug");
            default: _inner.Capture(buffer); break;
        }
    }

    public void Recover()
    {
        Recoveries++;
        if (RecoverFails) throw new FrameSourceException("simulated: camera still absent");
    }
}

public static class Models
{
    /// <summary>A small valid network (16×16×C → 5 classes) with embedded test vectors, as a blob.</summary>
    public static byte[] Blob(int channels = 3, int seed = 1, Action<Network> tamper = null)
    {
        Network net = SyntheticNetworks.Make(seed, height: 16, width: 16, inChannels: channels, baseWidth: 8, blocks: 2, classes: 5);
        var rng = new Random(seed);
        byte[][] frames = Enumerable.Range(0, 2).Select(_ => SyntheticNetworks.RandomPixels(rng, 16 * 16 * channels)).ToArray();
        byte[] blob = TestVectorMaker.WriteWithTestVectors(net, frames);
        if (tamper == null) return blob;
        Network parsed = OneBit.Runtime.Blob.BlobReader.Read(blob);
        tamper(parsed);
        return BlobWriter.Write(parsed);
    }
}
