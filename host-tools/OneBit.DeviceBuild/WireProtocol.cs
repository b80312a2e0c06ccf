using System.Buffers.Binary;
using System.Text;
using OneBit.PeWriter;

namespace OneBit.DeviceBuild;

/// <summary>
/// nanoCLR's debug wire protocol as the firmware writes it (nf-interpreter src/CLR/Include/WireProtocol.h,
/// src/CLR/WireProtocol/WireProtocol_Message.c): a 32-byte little-endian header
/// <code>
///   0  signature[8]   "NFPKTV1\0" (packets; "NFDBGV1\0" also starts a header; .NETMF used "MSpktV1\0"/"MSdbgV1\0")
///   8  crcHeader u32  CRC of the 32 header bytes with this field zeroed
///  12  crcData   u32  CRC of the payload
///  16  cmd       u32  e.g. 0x01 Monitor_Message: payload = text, no terminating zero
///  20  seq u16, 22 seqReply u16, 24 flags u32 (WP_Flags: 0x0001 NonCritical, 0x0002 Reply, 0x2000 NoCaching, 0x4000 NACK, 0x8000 ACK)
///  28  size      u32  payload bytes (at most WP_PACKET_SIZE, 1024 by default)
/// </code>
/// followed by the payload. The CRC is SUPPORT_ComputeCRC: polynomial 0x04C11DB7, MSB first, seed 0, no final
/// xor (the .pe CRC). Firmware built without CONFIG_NF_WP_ENABLE_CRC32 sends both CRC fields as 0.
/// Console.WriteLine/Debug.WriteLine text goes out as Monitor_Message packets while a debugger session is enabled and
/// as plain bytes otherwise (CLR_Debug::Emit, src/CLR/Diagnostics/Info.cpp), so a monitor sees both.
/// </summary>
public static class WireProtocol
{
    public const int HeaderSize = 32;
    public const int SignatureSize = 8;
    public const int DefaultMaxPayload = 1024;

    public const uint MonitorPing = 0x00;
    public const uint MonitorMessage = 0x01;
    public const uint MonitorReboot = 0x07;
    public const uint MonitorProgramExit = 0x09;

    public const uint FlagNonCritical = 0x0001;
    public const uint FlagReply = 0x0002;
    public const uint FlagNoCaching = 0x2000;

    /// <summary>Header start markers, nanoFramework first.</summary>
    public static readonly IReadOnlyList<byte[]> Markers = new[] { "NFPKTV1\0", "NFDBGV1\0", "MSpktV1\0", "MSdbgV1\0" }
        .Select(Encoding.ASCII.GetBytes).ToList();

    /// <summary>Builds a packet the way the firmware does (WP_Message_PrepareRequest); <paramref name="withCrc"/> false gives the no-CRC32 variant.</summary>
    public static byte[] BuildPacket(uint cmd, ReadOnlySpan<byte> payload, ushort seq = 0, uint flags = FlagNonCritical | FlagNoCaching,
        bool withCrc = true, ushort seqReply = 0)
    {
        var packet = new byte[HeaderSize + payload.Length];
        var s = packet.AsSpan();
        Markers[0].CopyTo(s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], withCrc ? Crc32Mpeg2.Compute(payload) : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], cmd);
        BinaryPrimitives.WriteUInt16LittleEndian(s[20..], seq);
        BinaryPrimitives.WriteUInt16LittleEndian(s[22..], seqReply);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], (uint)payload.Length);
        payload.CopyTo(s[HeaderSize..]);
        if (withCrc)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(s[8..], Crc32Mpeg2.Compute(s[..HeaderSize]));
        }

        return packet;
    }

    /// <summary>A Monitor_Message packet carrying <paramref name="text"/> (UTF-8).</summary>
    public static byte[] BuildMessage(string text, ushort seq = 0, bool withCrc = true) =>
        BuildPacket(MonitorMessage, Encoding.UTF8.GetBytes(text), seq, FlagNonCritical | FlagNoCaching, withCrc);

    public static string CommandName(uint cmd) => cmd switch
    {
        0x00 => "Monitor_Ping",
        0x01 => "Monitor_Message",
        0x02 => "Monitor_ReadMemory",
        0x03 => "Monitor_WriteMemory",
        0x04 => "Monitor_CheckMemory",
        0x05 => "Monitor_EraseMemory",
        0x06 => "Monitor_Execute",
        0x07 => "Monitor_Reboot",
        0x08 => "Monitor_MemoryMap",
        0x09 => "Monitor_ProgramExit",
        0x0A => "Monitor_CheckSignature",
        0x0B => "Monitor_DeploymentMap",
        0x0C => "Monitor_FlashSectorMap",
        0x0E => "Monitor_OemInfo",
        0x0F => "Monitor_QueryConfiguration",
        0x10 => "Monitor_UpdateConfiguration",
        0x11 => "Monitor_StorageOperation",
        0x20 => "Monitor_TargetInfo",
        _ when cmd >= 0x00020000 => $"Debugging_0x{cmd:X8}",
        _ => $"0x{cmd:X}",
    };
}

public enum MonitorEventKind
{
    /// <summary>Bytes outside packets (the console when no debugger session is enabled, boot messages).</summary>
    Text,

    /// <summary>The payload of a Monitor_Message packet: the app's console output.</summary>
    Message,

    /// <summary>Any other well-formed packet (ping, debugger traffic, ...).</summary>
    Packet,

    /// <summary>A packet that failed a check (header CRC, payload CRC, oversize, truncated); its bytes are dropped.</summary>
    BadPacket,
}

public sealed record MonitorEvent(MonitorEventKind Kind, string Text, uint Command = 0, uint Flags = 0, int PayloadSize = 0)
{
    public override string ToString() => Kind switch
    {
        MonitorEventKind.Packet => $"[packet {WireProtocol.CommandName(Command)} flags 0x{Flags:X4}, {PayloadSize} bytes]",
        MonitorEventKind.BadPacket => $"[bad packet: {Text}]",
        _ => Text,
    };
}

/// <summary>
/// Splits a serial byte stream into wire-protocol packets and plain text. Feed it whatever each read returned:
/// packets may be split across reads and surrounded by garbage. Bytes that could be the start of a marker are held
/// back until they are decided; <see cref="Flush"/> (call it when the line has been idle a moment) releases them
/// and drops a packet that never completed.
/// </summary>
public sealed class WireProtocolDecoder
{
    private readonly List<byte> _pending = new();
    private readonly Decoder _text = new UTF8Encoding(false, false).GetDecoder();
    private readonly Decoder _message = new UTF8Encoding(false, false).GetDecoder();
    private readonly int _maxPayload;

    public WireProtocolDecoder(int maxPayload = WireProtocol.DefaultMaxPayload)
    {
        _maxPayload = maxPayload;
    }

    public int GoodPackets { get; private set; }

    public int BadPackets { get; private set; }

    public List<MonitorEvent> Feed(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            _pending.Add(b);
        }

        var events = new List<MonitorEvent>();
        Drain(events, final: false);
        return events;
    }

    /// <summary>Releases held-back bytes as text and reports an incomplete packet as bad.</summary>
    public List<MonitorEvent> Flush()
    {
        var events = new List<MonitorEvent>();
        Drain(events, final: true);
        return events;
    }

    private void Drain(List<MonitorEvent> events, bool final)
    {
        while (_pending.Count > 0)
        {
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending);
            var (start, complete) = FindMarker(span);
            if (start < 0)
            {
                EmitText(events, span, final);
                _pending.Clear();
                return;
            }

            if (start > 0)
            {
                EmitText(events, span[..start], false);
                _pending.RemoveRange(0, start);
                continue;
            }

            if (!complete)
            {
                // the tail may be the beginning of a marker: hold it, or release it as text at a flush
                if (final)
                {
                    EmitText(events, span, true);
                    _pending.Clear();
                }

                return;
            }

            if (span.Length < WireProtocol.HeaderSize)
            {
                if (final)
                {
                    Bad(events, $"truncated header ({span.Length} of {WireProtocol.HeaderSize} bytes)");
                    _pending.Clear();
                }

                return;
            }

            var header = span[..WireProtocol.HeaderSize].ToArray();
            uint crcHeader = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8));
            uint crcData = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
            uint cmd = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16));
            uint flags = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(24));
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(28));
            header.AsSpan(8, 4).Clear();
            bool crcEnabled = crcHeader != 0 || crcData != 0;
            if (crcEnabled && Crc32Mpeg2.Compute(header) != crcHeader)
            {
                // not a trustworthy header: drop the marker and look again after it
                Bad(events, $"header CRC 0x{crcHeader:X8}, computed 0x{Crc32Mpeg2.Compute(header):X8}");
                _pending.RemoveRange(0, WireProtocol.SignatureSize);
                continue;
            }

            if (size > _maxPayload)
            {
                Bad(events, $"payload size {size} above {_maxPayload}");
                _pending.RemoveRange(0, crcEnabled ? WireProtocol.HeaderSize : WireProtocol.SignatureSize);
                continue;
            }

            int total = WireProtocol.HeaderSize + (int)size;
            if (span.Length < total)
            {
                if (final)
                {
                    Bad(events, $"truncated payload ({span.Length - WireProtocol.HeaderSize} of {size} bytes)");
                    _pending.Clear();
                }

                return;
            }

            var payload = span.Slice(WireProtocol.HeaderSize, (int)size);
            if (crcEnabled && Crc32Mpeg2.Compute(payload) != crcData)
            {
                Bad(events, $"{WireProtocol.CommandName(cmd)}: payload CRC 0x{crcData:X8}, computed 0x{Crc32Mpeg2.Compute(payload):X8}");
                _pending.RemoveRange(0, total);
                continue;
            }

            GoodPackets++;
            if (cmd == WireProtocol.MonitorMessage && (flags & WireProtocol.FlagReply) == 0)
            {
                var text = Decode(_message, payload, flush: false);
                if (text.Length > 0)
                {
                    events.Add(new MonitorEvent(MonitorEventKind.Message, text, cmd, flags, (int)size));
                }
            }
            else
            {
                events.Add(new MonitorEvent(MonitorEventKind.Packet, "", cmd, flags, (int)size));
            }

            _pending.RemoveRange(0, total);
        }

        if (final)
        {
            EmitText(events, ReadOnlySpan<byte>.Empty, true);
        }
    }

    private void Bad(List<MonitorEvent> events, string reason)
    {
        BadPackets++;
        events.Add(new MonitorEvent(MonitorEventKind.BadPacket, reason));
    }

    private void EmitText(List<MonitorEvent> events, ReadOnlySpan<byte> bytes, bool flush)
    {
        var text = Sanitize(Decode(_text, bytes, flush));
        if (text.Length > 0)
        {
            events.Add(new MonitorEvent(MonitorEventKind.Text, text));
        }
    }

    private static string Decode(Decoder decoder, ReadOnlySpan<byte> bytes, bool flush)
    {
        var chars = new char[decoder.GetCharCount(bytes, flush)];
        int n = decoder.GetChars(bytes, chars, flush);
        return new string(chars, 0, n);
    }

    /// <summary>Keeps printable text, tabs and line breaks; drops control bytes and invalid UTF-8 (line noise, a baud mismatch).</summary>
    private static string Sanitize(string s)
    {
        static bool Keep(char c) => (c >= ' ' && c != '\x7F' && c != '\uFFFD') || c == '\n' || c == '\r' || c == '\t';
        return s.All(Keep) ? s : new string(s.Where(Keep).ToArray());
    }

    /// <summary>First position where a marker starts; complete = the whole marker is there (else it is a prefix at the end).</summary>
    private static (int Start, bool Complete) FindMarker(ReadOnlySpan<byte> span)
    {
        for (int i = 0; i < span.Length; i++)
        {
            if (span[i] != (byte)'N' && span[i] != (byte)'M')
            {
                continue;
            }

            foreach (var m in WireProtocol.Markers)
            {
                int n = Math.Min(m.Length, span.Length - i);
                if (span.Slice(i, n).SequenceEqual(m.AsSpan(0, n)))
                {
                    if (n == m.Length)
                    {
                        return (i, true);
                    }

                    // a prefix at the very end: undecided; text before it can go
                    return (i, false);
                }
            }
        }

        return (-1, false);
    }
}
