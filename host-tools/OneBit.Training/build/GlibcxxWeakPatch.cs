// MSBuild task (compiled by RoslynCodeTaskFactory from GlibcxxWeakPatch.targets).
//
// Why: TorchSharp 0.107.0's libLibTorchSharp.so records a version-needed entry GLIBCXX_3.4.32 for one
// symbol it never calls (_ZSt21ios_base_library_initv, emitted by GCC 13's <iostream>). Debian 12's
// libstdc++ stops at GLIBCXX_3.4.30, so dlopen fails with "version `GLIBCXX_3.4.32' not found".
// The ELF gABI lets a Vernaux entry be marked VER_FLG_WEAK (0x2): ld.so then only warns when that
// version is missing (glibc dl-version.c, match_symbol: "weak" case). Lazy binding never resolves
// the unused symbol, so the library loads.
//
// What: for each given ELF64 little-endian file, read the versions the system libstdc++.so.6 defines
// (.gnu.version_d) and set VER_FLG_WEAK on every Vernaux entry of the libstdc++.so.6 Verneed
// (.gnu.version_r) whose version name the system lacks. Nothing else is touched; a file that needs
// nothing is not written (idempotent, and no timestamp churn). Non-Linux hosts: no-op.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class GlibcxxWeakPatch : Task
{
    [Required] public ITaskItem[] Files { get; set; }

    public override bool Execute()
    {
        if (Environment.OSVersion.Platform != PlatformID.Unix || Directory.Exists("/System/Library")) return true;
        string libstdcxx = FindLibStdCxx();
        if (libstdcxx == null)
        {
            Log.LogWarning("GlibcxxWeakPatch: no libstdc++.so.6 found; TorchSharp native libraries left as they are.");
            return true;
        }
        HashSet<string> defined;
        try { defined = ElfVersions.ReadDefinedVersions(File.ReadAllBytes(libstdcxx)); }
        catch (Exception e) { Log.LogWarning("GlibcxxWeakPatch: cannot read " + libstdcxx + ": " + e.Message); return true; }

        foreach (ITaskItem item in Files)
        {
            string path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            try
            {
                List<string> weakened = ElfVersions.WeakenMissing(path, "libstdc++.so.6", defined);
                if (weakened.Count > 0)
                    Log.LogMessage(MessageImportance.High, "GlibcxxWeakPatch: marked " + string.Join(", ", weakened) +
                        " weak in " + path + " (system " + libstdcxx + " lacks it)");
            }
            catch (Exception e) { Log.LogWarning("GlibcxxWeakPatch: " + path + ": " + e.Message); }
        }
        return true;
    }

    static string FindLibStdCxx()
    {
        string[] dirs = { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                          "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib" };
        foreach (string d in dirs)
        {
            string p = Path.Combine(d, "libstdc++.so.6");
            if (File.Exists(p)) return p;
        }
        return null;
    }
}

public static class ElfVersions
{
    const uint SHT_GNU_verdef = 0x6ffffffd, SHT_GNU_verneed = 0x6ffffffe;
    const ushort VER_FLG_WEAK = 0x2;

    struct Section { public uint Type; public long Offset; public long Size; public uint Link; public uint Info; }

    static List<Section> Sections(byte[] h, Stream s)
    {
        if (h[0] != 0x7f || h[1] != (byte)'E' || h[2] != (byte)'L' || h[3] != (byte)'F') throw new InvalidDataException("not an ELF file");
        if (h[4] != 2 || h[5] != 1) throw new InvalidDataException("only ELF64 little-endian is handled");
        long shoff = BitConverter.ToInt64(h, 0x28);
        int shentsize = BitConverter.ToUInt16(h, 0x3A), shnum = BitConverter.ToUInt16(h, 0x3C);
        var list = new List<Section>();
        byte[] e = new byte[shentsize];
        for (int i = 0; i < shnum; i++)
        {
            s.Position = shoff + (long)i * shentsize;
            ReadExactly(s, e);
            list.Add(new Section { Type = BitConverter.ToUInt32(e, 4), Offset = BitConverter.ToInt64(e, 0x18),
                Size = BitConverter.ToInt64(e, 0x20), Link = BitConverter.ToUInt32(e, 0x28), Info = BitConverter.ToUInt32(e, 0x2C) });
        }
        return list;
    }

    static void ReadExactly(Stream s, byte[] buf)
    {
        int got = 0;
        while (got < buf.Length) { int n = s.Read(buf, got, buf.Length - got); if (n <= 0) throw new EndOfStreamException(); got += n; }
    }

    static byte[] ReadSection(Stream s, Section sec)
    {
        var b = new byte[sec.Size]; s.Position = sec.Offset; ReadExactly(s, b); return b;
    }

    static string CString(byte[] strtab, uint off)
    {
        int end = (int)off; while (end < strtab.Length && strtab[end] != 0) end++;
        return Encoding.ASCII.GetString(strtab, (int)off, end - (int)off);
    }

    /// <summary>Version names defined in .gnu.version_d (e.g. GLIBCXX_3.4.30).</summary>
    public static HashSet<string> ReadDefinedVersions(byte[] file)
    {
        var names = new HashSet<string>();
        using (var s = new MemoryStream(file))
        {
            var secs = Sections(file, s);
            foreach (var sec in secs)
            {
                if (sec.Type != SHT_GNU_verdef) continue;
                byte[] str = ReadSection(s, secs[(int)sec.Link]);
                long p = sec.Offset;
                for (uint i = 0; i < sec.Info; i++)
                {
                    ushort cnt = BitConverter.ToUInt16(file, (int)p + 6);
                    uint aux = BitConverter.ToUInt32(file, (int)p + 12), next = BitConverter.ToUInt32(file, (int)p + 16);
                    if (cnt > 0) names.Add(CString(str, BitConverter.ToUInt32(file, (int)(p + aux))));
                    if (next == 0) break;
                    p += next;
                }
            }
        }
        return names;
    }

    /// <summary>Sets VER_FLG_WEAK on the Vernaux entries of <paramref name="soname"/> whose version is not in
    /// <paramref name="defined"/> and not weak yet. Returns the names it changed (empty: file untouched).</summary>
    public static List<string> WeakenMissing(string path, string soname, HashSet<string> defined)
    {
        var changed = new List<string>();
        using (var s = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            byte[] h = new byte[64]; ReadExactly(s, h);
            var secs = Sections(h, s);
            foreach (var sec in secs)
            {
                if (sec.Type != SHT_GNU_verneed) continue;
                byte[] str = ReadSection(s, secs[(int)sec.Link]);
                byte[] vr = ReadSection(s, sec);
                int p = 0;
                for (uint i = 0; i < sec.Info; i++)
                {
                    ushort cnt = BitConverter.ToUInt16(vr, p + 2);
                    string file = CString(str, BitConverter.ToUInt32(vr, p + 4));
                    uint aux = BitConverter.ToUInt32(vr, p + 8), next = BitConverter.ToUInt32(vr, p + 12);
                    int a = p + (int)aux;
                    for (int k = 0; k < cnt; k++)
                    {
                        ushort flags = BitConverter.ToUInt16(vr, a + 4);
                        string name = CString(str, BitConverter.ToUInt32(vr, a + 8));
                        if (file == soname && !defined.Contains(name) && (flags & VER_FLG_WEAK) == 0)
                        {
                            ushort nf = (ushort)(flags | VER_FLG_WEAK);
                            s.Position = sec.Offset + a + 4;
                            s.WriteByte((byte)nf); s.WriteByte((byte)(nf >> 8));
                            changed.Add(name);
                        }
                        uint anext = BitConverter.ToUInt32(vr, a + 12);
                        if (anext == 0) break;
                        a += (int)anext;
                    }
                    if (next == 0) break;
                    p += (int)next;
                }
            }
        }
        return changed;
    }
}
