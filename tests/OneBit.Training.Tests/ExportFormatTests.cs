using OneBit.ModelExport;
using Xunit;

namespace OneBit.Training.Tests;

public class ExportFormatTests
{
    static ExportedModel Sample()
    {
        var net = new OneBitResNet(new NetworkConfig { Depth = 8, Width = 1, Bits = 1, InputChannels = 1, InputHeight = 8, InputWidth = 8, Classes = 3, Mean = new[] { 100.0 }, Std = new[] { 50.0 }, LearnTemperature = false, Temperature = 2 });
        return ModelExporter.Build(net, "sample", new[] { "a", "b", "c" }, new ExportedMetrics { ValidationAccuracy = 0.5, ValidationCount = 10 }, new() { ["command"] = "x" });
    }

    [Fact]
    public void RoundTripsEveryTensorAndTheOpList()
    {
        var m = Sample();
        var back = ModelExportReader.FromBytes(ModelExportWriter.ToBytes(m));
        Assert.Equal(m.Tensors.Count, back.Tensors.Count);
        for (int i = 0; i < m.Tensors.Count; i++)
        {
            Assert.Equal(m.Tensors[i].Name, back.Tensors[i].Name);
            Assert.Equal(m.Tensors[i].Shape, back.Tensors[i].Shape);
            Assert.Equal(m.Tensors[i].Data, back.Tensors[i].Data);
        }
        Assert.Equal(new[] { "stem", "quantize", "conv", "quantize", "conv", "residual" }, back.Layers.Take(6).Select(l => l.Op));
        Assert.Equal(1 + 3 * 5 + 3, back.Layers.Count);
        var stem = back.Layers[0];
        Assert.Equal(Math.Sqrt(2.0 / 9), stem.Scale, 12);
        Assert.Equal(new[] { 1 / 50.0 }, back.Input.Alpha);
        Assert.Equal(new[] { -2.0 }, back.Input.Beta);
        var down = back.Layers.First(l => l.Shortcut == "avgpool3x3s2");
        Assert.Equal((1, 1, 16, 32), (down.PadTop, down.PadLeft, down.InChannels, down.OutChannels));
        Assert.Equal(1, back.Quantizers.First().ZeroCode);
        Assert.Equal(2.0, back.Quantizers.First().Delta);
        Assert.Equal(0.5, back.Metrics.ValidationAccuracy);
        Assert.Equal(2.0, back.Temperature, 6);
        Assert.Equal(16 * 9 + 2 * (16 * 16 * 9) + (32 * 16 * 9 + 32 * 32 * 9) + (64 * 32 * 9 + 64 * 64 * 9) + 3 * 64, back.Architecture.ParameterCount);
    }

    [Fact]
    public void RejectsCorruptionWithAMessage()
    {
        var bytes = ModelExportWriter.ToBytes(Sample());
        bytes[^1] ^= 1;
        Assert.Contains("CRC", Assert.Throws<ModelExportFormatException>(() => ModelExportReader.FromBytes(bytes)).Message);
        var wrongMagic = ModelExportWriter.ToBytes(Sample()); wrongMagic[0] = (byte)'X';
        Assert.Contains("magic", Assert.Throws<ModelExportFormatException>(() => ModelExportReader.FromBytes(wrongMagic)).Message);
        var v2 = ModelExportWriter.ToBytes(Sample()); v2[4] = 2;
        Assert.Contains("version 2", Assert.Throws<ModelExportFormatException>(() => ModelExportReader.FromBytes(v2)).Message);
        Assert.Contains("truncated", Assert.Throws<ModelExportFormatException>(() => ModelExportReader.FromBytes(bytes.AsSpan(0, 10).ToArray())).Message);
    }

    [Fact]
    public void BaseChannelsScaleEveryStageAndTheExportSaysSo()
    {
        var net = new OneBitResNet(new NetworkConfig { Depth = 8, Width = 1, BaseChannels = 14, Bits = 2, InputHeight = 8, InputWidth = 8, Classes = 10 });
        var m = ModelExportReader.FromBytes(ModelExportWriter.ToBytes(
            ModelExporter.Build(net, "c14", Enumerable.Range(0, 10).Select(i => "c" + i).ToArray(), new ExportedMetrics(), new())));
        Assert.Equal(new[] { 14, 28, 56 }, m.Architecture.StageChannels);
        Assert.Equal(3 * 14 * 9 + 2 * (14 * 14 * 9) + (28 * 14 * 9 + 28 * 28 * 9) + (56 * 28 * 9 + 56 * 56 * 9) + 10 * 56, m.Architecture.ParameterCount);
        var down = m.Layers.Last(l => l.Shortcut == "avgpool3x3s2");
        Assert.Equal((28, 56), (down.InChannels, down.OutChannels));
    }
}
