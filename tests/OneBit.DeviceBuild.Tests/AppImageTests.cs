using OneBit.DeviceBuild;
using OneBit.PeWriter;
using Xunit;

namespace OneBit.DeviceBuild.Tests;

public class AppImageTests
{
    private static readonly string CorlibVersion = TestSupport.Mscorlib().Version.ToString();

    [Fact]
    public void MscorlibComesFirstAndEveryAssemblyAfterItsReferences()
    {
        var corlib = TestSupport.Mscorlib();
        var runtime = TestSupport.Fake("OneBit.Runtime", "1.0.0.0", ("mscorlib", CorlibVersion));
        var spi = TestSupport.Fake("System.Device.Spi", "1.3.0.0", ("mscorlib", CorlibVersion));
        var app = TestSupport.Fake("OneBit.App", "1.0.0.0", ("mscorlib", CorlibVersion), ("System.Device.Spi", "1.3.0.0"), ("OneBit.Runtime", "1.0.0.0"));

        // given in the worst order: the app first, mscorlib last
        var image = AppImage.Build(new[] { app, runtime, spi, corlib });

        var names = image.Entries.Select(e => e.Name).ToList();
        Assert.Equal("mscorlib", names[0]);
        Assert.Equal("OneBit.App", names[^1]);
        Assert.True(names.IndexOf("System.Device.Spi") < names.IndexOf("OneBit.App"));
        Assert.True(names.IndexOf("OneBit.Runtime") < names.IndexOf("OneBit.App"));
        Assert.Equal(new[] { "mscorlib", "System.Device.Spi", "OneBit.Runtime", "OneBit.App" }, names);
    }

    [Fact]
    public void EachPeIsFourByteAlignedZeroPaddedAndBackToBack()
    {
        var corlib = TestSupport.Mscorlib();
        var files = new List<PeFile> { corlib };
        // byte-code sizes 1..3 give .pe lengths that are not multiples of 4 after the header's own padding is accounted for
        for (int i = 0; i < 3; i++)
        {
            var bytes = TestSupport.FakePe("Lib" + i, new Version(1, 0, 0, 0), new[] { ("mscorlib", corlib.Version) }, bodyBytes: i + 1);
            // append 1..3 stray bytes so that the file length itself is unaligned; fix the assembly CRC accordingly
            var odd = bytes.Concat(Enumerable.Repeat((byte)0xAB, i + 1)).ToArray();
            files.Add(PeFile.Parse(Recrc(odd), "Lib" + i));
        }

        var image = AppImage.Build(files);
        long expected = 0;
        foreach (var e in image.Entries)
        {
            Assert.Equal(expected, e.Offset);
            Assert.Equal(0, e.Offset % 4);
            Assert.Equal((4 - e.Size % 4) % 4, e.Padding);
            Assert.All(image.Bytes.AsSpan((int)(e.Offset + e.Size), e.Padding).ToArray(), b => Assert.Equal(0, b));
            expected = e.Offset + e.Size + e.Padding;
        }

        Assert.Equal(expected, image.Bytes.Length);
        Assert.Contains(image.Entries, e => e.Padding != 0);
        Assert.Equal(corlib.Bytes, image.Bytes.AsSpan(0, corlib.Bytes.Length).ToArray());
    }

    [Fact]
    public void ManifestRecordsOffsetsAddressesSizesAndCrcs()
    {
        var corlib = TestSupport.Mscorlib();
        var app = TestSupport.Fake("OneBit.App", "1.2.3.4", ("mscorlib", CorlibVersion));
        var image = AppImage.Build(new[] { corlib, app });
        var dir = TestSupport.TempDir("manifest");
        var path = Path.Combine(dir, "app.bin");
        var manifestPath = image.Write(path, FlashPlan.DefaultDeployAddress, "model.obnb");

        Assert.Equal(image.Bytes, File.ReadAllBytes(path));
        var m = ImageManifest.Read(manifestPath);
        Assert.Equal(image.Bytes.Length, m.Size);
        Assert.Equal($"0x{Crc32Mpeg2.Compute(image.Bytes):X8}", m.Crc32);
        Assert.Equal("0x1E0000", m.DeployAddress);
        Assert.Equal(2, m.Assemblies.Count);
        var second = m.Assemblies[1];
        Assert.Equal("OneBit.App", second.Name);
        Assert.Equal("1.2.3.4", second.Version);
        Assert.Equal($"0x{FlashPlan.DefaultDeployAddress + second.Offset:X}", second.Address);
        Assert.Equal($"0x{Crc32Mpeg2.Compute(app.Bytes):X8}", second.Crc32);
        Assert.Equal($"0x{app.AssemblyCrc:X8}", second.AssemblyCrc);
        Assert.Equal(new[] { "mscorlib" }, second.References);
        Assert.Empty(DeviceBuilder.Check(path));

        // a flipped byte is caught by the check
        var bytes = File.ReadAllBytes(path);
        bytes[(int)second.Offset + 130] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        Assert.NotEmpty(DeviceBuilder.Check(path));
    }

    [Fact]
    public void MissingReferenceIsNamed()
    {
        var app = TestSupport.Fake("OneBit.App", "1.0.0.0", ("mscorlib", CorlibVersion), ("System.Device.Spi", "1.3.0.0"));
        var e = Assert.Throws<ImageException>(() => AppImage.Build(new[] { TestSupport.Mscorlib(), app }));
        Assert.Contains("System.Device.Spi 1.3.0.0", e.Message);
    }

    [Fact]
    public void WithoutMscorlibTheImageIsRefused()
    {
        var app = TestSupport.Fake("OneBit.App", "1.0.0.0");
        var e = Assert.Throws<ImageException>(() => AppImage.Build(new[] { app }));
        Assert.Contains("mscorlib", e.Message);
    }

    [Fact]
    public void MajorMinorMismatchIsAnErrorBuildMismatchAWarning()
    {
        var corlib = TestSupport.Mscorlib();
        var v = corlib.Version;
        var wrongMinor = TestSupport.Fake("A", "1.0.0.0", ("mscorlib", $"{v.Major}.{v.Minor + 1}.0.0"));
        Assert.Throws<ImageException>(() => AppImage.Build(new[] { corlib, wrongMinor }));

        var warnings = new List<string>();
        var wrongBuild = TestSupport.Fake("B", "1.0.0.0", ("mscorlib", $"{v.Major}.{v.Minor}.{v.Build + 1}.0"));
        AppImage.Build(new[] { corlib, wrongBuild }, warnings);
        Assert.Single(warnings);
    }

    [Fact]
    public void CyclesAndDuplicatesAreRefused()
    {
        var corlib = TestSupport.Mscorlib();
        var a = TestSupport.Fake("A", "1.0.0.0", ("mscorlib", CorlibVersion), ("B", "1.0.0.0"));
        var b = TestSupport.Fake("B", "1.0.0.0", ("mscorlib", CorlibVersion), ("A", "1.0.0.0"));
        Assert.Contains("cycle", Assert.Throws<ImageException>(() => AppImage.Build(new[] { corlib, a, b })).Message);
        Assert.Contains("twice", Assert.Throws<ImageException>(() => AppImage.Build(new[] { corlib, corlib })).Message);
    }

    [Fact]
    public void DamagedPeIsRejectedOnLoad()
    {
        var bytes = TestSupport.Mscorlib().Bytes.ToArray();
        bytes[^5] ^= 1;
        Assert.Contains("assembly CRC", Assert.Throws<InvalidDataException>(() => PeFile.Parse(bytes, "x")).Message);
        bytes = TestSupport.Mscorlib().Bytes.ToArray();
        bytes[0x30] ^= 1;
        Assert.Contains("header CRC", Assert.Throws<InvalidDataException>(() => PeFile.Parse(bytes, "x")).Message);
        Assert.Throws<InvalidDataException>(() => PeFile.Parse(new byte[200], "zeros"));
    }

    [Fact]
    public void MscorlibHeaderIsReadCorrectly()
    {
        var corlib = TestSupport.Mscorlib();
        Assert.Equal("mscorlib", corlib.Name);
        Assert.Empty(corlib.References);
        Assert.Equal(1, corlib.Version.Major);
    }

    /// <summary>Recomputes both CRCs of a .pe after its bytes were changed (the header's table offsets are kept).</summary>
    private static byte[] Recrc(byte[] pe)
    {
        BitConverter.TryWriteBytes(pe.AsSpan(AssemblyHeader.AssemblyCrcOffset), Crc32Mpeg2.Compute(pe.AsSpan(AssemblyHeader.Size)));
        var header = pe.AsSpan(0, AssemblyHeader.Size).ToArray();
        header.AsSpan(AssemblyHeader.HeaderCrcOffset, 4).Clear();
        BitConverter.TryWriteBytes(pe.AsSpan(AssemblyHeader.HeaderCrcOffset), Crc32Mpeg2.Compute(header));
        return pe;
    }
}
