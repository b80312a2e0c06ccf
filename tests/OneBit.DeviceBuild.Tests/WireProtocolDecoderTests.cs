using System.Text;
using OneBit.DeviceBuild;
using Xunit;

namespace OneBit.DeviceBuild.Tests;

public class WireProtocolDecoderTests
{
    private static string Output(IEnumerable<MonitorEvent> events) =>
        string.Concat(events.Where(e => e.Kind is MonitorEventKind.Text or MonitorEventKind.Message).Select(e => e.Text));

    private static List<MonitorEvent> FeedAll(WireProtocolDecoder d, byte[] bytes)
    {
        var events = d.Feed(bytes);
        events.AddRange(d.Flush());
        return events;
    }

    [Fact]
    public void PacketLayoutMatchesTheFirmwareHeader()
    {
        var p = WireProtocol.BuildMessage("hi\n", seq: 7);
        Assert.Equal(32 + 3, p.Length);
        Assert.Equal("NFPKTV1\0", Encoding.ASCII.GetString(p, 0, 8));
        Assert.Equal(1u, BitConverter.ToUInt32(p, 16));           // Monitor_Message
        Assert.Equal(7, BitConverter.ToUInt16(p, 20));            // seq
        Assert.Equal(3u, BitConverter.ToUInt32(p, 28));           // size
        Assert.Equal(OneBit.PeWriter.Crc32Mpeg2.Compute("hi\n"u8), BitConverter.ToUInt32(p, 12));
        var header = p.AsSpan(0, 32).ToArray();
        Array.Clear(header, 8, 4);
        Assert.Equal(OneBit.PeWriter.Crc32Mpeg2.Compute(header), BitConverter.ToUInt32(p, 8));
    }

    [Fact]
    public void GoodMessagePacketYieldsItsText()
    {
        var d = new WireProtocolDecoder();
        var events = FeedAll(d, WireProtocol.BuildMessage("frame 1: class 3 'cat'\n"));
        var e = Assert.Single(events);
        Assert.Equal(MonitorEventKind.Message, e.Kind);
        Assert.Equal("frame 1: class 3 'cat'\n", e.Text);
        Assert.Equal(1, d.GoodPackets);
        Assert.Equal(0, d.BadPackets);
    }

    [Fact]
    public void PacketsWithoutCrcAreAccepted()
    {
        var d = new WireProtocolDecoder();
        Assert.Equal("no crc\n", Output(FeedAll(d, WireProtocol.BuildMessage("no crc\n", withCrc: false))));
    }

    [Fact]
    public void BadPayloadCrcIsReportedAndDropped()
    {
        var p = WireProtocol.BuildMessage("corrupted\n");
        p[^3] ^= 0x20;
        var d = new WireProtocolDecoder();
        var events = FeedAll(d, p.Concat(WireProtocol.BuildMessage("next\n", seq: 1)).ToArray());
        Assert.Equal(MonitorEventKind.BadPacket, events[0].Kind);
        Assert.Contains("payload CRC", events[0].Text);
        Assert.Equal("next\n", Output(events));
        Assert.Equal(1, d.BadPackets);
        Assert.Equal(1, d.GoodPackets);
    }

    [Fact]
    public void BadHeaderCrcResynchronizesOnTheNextPacket()
    {
        var p = WireProtocol.BuildMessage("lost\n");
        p[16] ^= 0x04; // command field: header CRC no longer matches
        var d = new WireProtocolDecoder();
        var events = FeedAll(d, p.Concat(WireProtocol.BuildMessage("found\n", seq: 1)).ToArray());
        Assert.Contains(events, e => e.Kind == MonitorEventKind.BadPacket && e.Text.Contains("header CRC"));
        Assert.EndsWith("found\n", Output(events));
        Assert.Equal(1, d.GoodPackets);
    }

    [Fact]
    public void PacketSplitAcrossReadsAtEveryPosition()
    {
        var packet = WireProtocol.BuildMessage("split me\n");
        for (int cut = 1; cut < packet.Length; cut++)
        {
            var d = new WireProtocolDecoder();
            var events = d.Feed(packet.AsSpan(0, cut));
            Assert.DoesNotContain(events, e => e.Kind is MonitorEventKind.Message or MonitorEventKind.BadPacket);
            events.AddRange(d.Feed(packet.AsSpan(cut)));
            Assert.Equal("split me\n", Output(events));
            Assert.Equal(0, d.BadPackets);
        }
    }

    [Fact]
    public void ByteByByteFeedingWithInterleavedGarbageAndPlainText()
    {
        var stream = new MemoryStream();
        stream.Write(Encoding.ASCII.GetBytes("ets Jun  8 2016 00:22:57\r\nrst:0x1 (POWERON_RESET)\n"));
        stream.Write(new byte[] { 0x00, 0xFF, 0x13, 0x07 });              // line noise
        stream.Write(WireProtocol.BuildMessage("OneBit synthetic-frame app\n"));
        stream.Write(Encoding.ASCII.GetBytes("NF"));                      // a marker prefix that is not a marker
        stream.Write(Encoding.ASCII.GetBytes("x plain\n"));
        stream.Write(WireProtocol.BuildPacket(WireProtocol.MonitorPing, new byte[8], seq: 2));
        stream.Write(WireProtocol.BuildMessage("frame 0: class 1", seq: 3));
        stream.Write(WireProtocol.BuildMessage(" 'dog'\n", seq: 4));      // firmware splits lines over packets
        var bytes = stream.ToArray();

        var d = new WireProtocolDecoder();
        var events = new List<MonitorEvent>();
        foreach (var b in bytes)
        {
            events.AddRange(d.Feed(new[] { b }));
        }

        events.AddRange(d.Flush());
        Assert.Equal(
            "ets Jun  8 2016 00:22:57\r\nrst:0x1 (POWERON_RESET)\n" + "OneBit synthetic-frame app\n" + "NFx plain\n" + "frame 0: class 1 'dog'\n",
            Output(events));
        Assert.Contains(events, e => e.Kind == MonitorEventKind.Packet && e.Command == WireProtocol.MonitorPing);
        Assert.Equal(4, d.GoodPackets);
        Assert.Equal(0, d.BadPackets);
    }

    [Fact]
    public void MultiByteCharactersSplitAcrossReadsSurvive()
    {
        var d = new WireProtocolDecoder();
        var text = Encoding.UTF8.GetBytes("3×3 conv → ok\n");
        var events = new List<MonitorEvent>();
        foreach (var b in text)
        {
            events.AddRange(d.Feed(new[] { b }));
        }

        events.AddRange(d.Flush());
        Assert.Equal("3×3 conv → ok\n", Output(events));
    }

    [Fact]
    public void TruncatedPacketIsReportedAtFlushAndTheStreamRecovers()
    {
        var d = new WireProtocolDecoder();
        var packet = WireProtocol.BuildMessage("never finished\n");
        var events = d.Feed(packet.AsSpan(0, 40));
        events.AddRange(d.Flush());
        Assert.Contains(events, e => e.Kind == MonitorEventKind.BadPacket && e.Text.Contains("truncated"));
        events = FeedAll(d, WireProtocol.BuildMessage("after reset\n"));
        Assert.Equal("after reset\n", Output(events));
    }

    [Fact]
    public void OversizedPayloadIsRejected()
    {
        var d = new WireProtocolDecoder(maxPayload: 16);
        var events = FeedAll(d, WireProtocol.BuildMessage(new string('x', 40) + "\n").Concat(WireProtocol.BuildMessage("ok\n")).ToArray());
        Assert.Contains(events, e => e.Kind == MonitorEventKind.BadPacket && e.Text.Contains("size"));
        Assert.EndsWith("ok\n", Output(events));
    }

    [Fact]
    public void RepliesAndOtherCommandsAreNotPrintedAsText()
    {
        var d = new WireProtocolDecoder();
        var reply = WireProtocol.BuildPacket(WireProtocol.MonitorMessage, "echo"u8, flags: WireProtocol.FlagReply);
        var events = FeedAll(d, reply);
        Assert.Equal("", Output(events));
        Assert.Equal(MonitorEventKind.Packet, Assert.Single(events).Kind);
    }

    [Fact]
    public void MonitorSessionDecodesACapturedLog()
    {
        var dir = TestSupport.TempDir("monitor");
        var log = Path.Combine(dir, "serial.log");
        var bad = WireProtocol.BuildMessage("bad\n");
        bad[^2] ^= 1;
        File.WriteAllBytes(log, Encoding.ASCII.GetBytes("boot\n")
            .Concat(WireProtocol.BuildMessage("line 1\n"))
            .Concat(bad)
            .Concat(WireProtocol.BuildMessage("line 2\n", seq: 1)).ToArray());
        var output = new StringWriter();
        using (var stream = File.OpenRead(log))
        {
            new MonitorSession(stream, output, new MonitorOptions { Verbose = true }).Run(CancellationToken.None);
        }

        var text = output.ToString().Replace("\r\n", "\n");
        Assert.StartsWith("boot\nline 1\n[bad packet: Monitor_Message: payload CRC", text);
        Assert.EndsWith("line 2\n", text);
    }
}
