using OneBit.Cli.Commands;

namespace OneBit.Cli.Tests;

public class RunCommandTests
{
    [Theory]
    [InlineData("/dev/video0", 0)]
    [InlineData("/dev/video12", 12)]
    [InlineData("0", 0)]
    [InlineData("3", 3)]
    public void CameraAcceptsTheDevicePathOrItsNumber(string given, int index)
    {
        Assert.Equal(index, RunCommand.CameraIndex(given));
    }

    [Theory]
    [InlineData("/dev/video")]
    [InlineData("/dev/videoX")]
    [InlineData("/dev/sda")]
    [InlineData("video0")]
    [InlineData("-1")]
    [InlineData(" 1")]
    [InlineData("")]
    public void CameraRejectsAnythingElseNamingTheExpectedForms(string given)
    {
        var e = Assert.Throws<ArgumentException>(() => RunCommand.CameraIndex(given));
        Assert.Contains($"'{given}'", e.Message);
        Assert.Contains("/dev/videoN", e.Message);
    }

    [Fact]
    public void CameraOptionTakesADevicePathOnTheCommandLine()
    {
        string dir = Cli.TempDir();
        try
        {
            Cli.Result r = Cli.Run(null, "run", Cli.SyntheticBlob(dir), "--camera", "/dev/videoX");
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("error: --camera '/dev/videoX': expected a V4L2 device /dev/videoN or its number N", r.Err);
            Assert.DoesNotContain("Nullable", r.Err + r.Out);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void FolderRunReportsAnUndecodableImageGoesOnAndFailsAtTheEnd()
    {
        string dir = Cli.TempDir();
        try
        {
            string blob = Cli.SyntheticBlob(dir);
            string images = Path.Combine(dir, "photos");
            Directory.CreateDirectory(images);
            Cli.Png(Path.Combine(images, "a.png"), 8, 8, 1);
            File.WriteAllBytes(Path.Combine(images, "b.jpg"), new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5 });  // a JPEG header, then nothing
            Cli.Png(Path.Combine(images, "c.png"), 16, 12, 2);

            Cli.Result r = Cli.Run(null, "run", blob, images);

            Assert.Equal(1, r.ExitCode);
            string[] classified = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, classified.Length);
            Assert.StartsWith(Path.Combine(images, "a.png") + ": class", classified[0]);
            Assert.StartsWith(Path.Combine(images, "c.png") + ": class", classified[1]);
            Assert.Contains($"skipped {Path.Combine(images, "b.jpg")}: not a decodable JPEG or PNG", r.Err);
            Assert.Contains("1 of 3 images could not be read or decoded; 2 classified", r.Err);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void FolderRunOfDecodableImagesSucceeds()
    {
        string dir = Cli.TempDir();
        try
        {
            Cli.Result r = Cli.Run(null, "run", Cli.SyntheticBlob(dir), Cli.ImageFolder(dir, 2, 2));
            Assert.True(r.ExitCode == 0, r.Err);
            Assert.Equal(4, r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Equal("", r.Err);
        }
        finally { Directory.Delete(dir, true); }
    }
}
