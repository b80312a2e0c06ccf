using System.Text;

namespace OneBit.DeviceBuild.Tests;

/// <summary>
/// Files with the first bytes of an ESP-IDF app image as nf-interpreter's ESP32 build writes nanoCLR.bin
/// (esp_image_header_t, first segment header, esp_app_desc_t at byte 32), zero-filled to the asked size; and the
/// wrong files a user may give instead.
/// </summary>
public static class FakeNanoClr
{
    public static byte[] Bytes(int size = 0x10000, ushort chipId = 0x0000, string project = "nanoCLR", byte segments = 5, bool appDesc = true)
    {
        var b = new byte[size];
        b[0] = 0xE9;
        b[1] = segments;
        BitConverter.GetBytes(chipId).CopyTo(b, 12);
        if (appDesc)
        {
            BitConverter.GetBytes(0xABCD5432u).CopyTo(b, 32);
        }

        Encoding.ASCII.GetBytes("1.12.0.999").CopyTo(b, 32 + 16);
        Encoding.ASCII.GetBytes(project).CopyTo(b, 32 + 48);
        Encoding.ASCII.GetBytes("v5.5.4").CopyTo(b, 32 + 112);
        return b;
    }

    public static string Write(string dir, string name = "nanoCLR.bin", byte[]? bytes = null)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes ?? Bytes());
        return path;
    }
}
