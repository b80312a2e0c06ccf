using OneBit.PeWriter;

// Usage: dotnet run --project device/OneBit.Bench/Tool -- <bench bin folder> <output folder>
// The bench bin folder is device/OneBit.Bench/bin/<Configuration>/netstandard2.0 (OneBit.Bench.dll + OneBit.Runtime.dll).
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: OneBit.Bench.Tool <bench bin folder> <output folder>");
    return 2;
}

string bin = args[0], output = args[1];
Directory.CreateDirectory(output);
string nuget = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
string corlib = Path.Combine(nuget, "nanoframework.corelibrary", "1.17.11", "lib");
if (!File.Exists(Path.Combine(corlib, "mscorlib.pe")))
{
    Console.Error.WriteLine($"mscorlib.pe not found in {corlib}: build device/OneBit.Bench first (it restores nanoFramework.CoreLibrary 1.17.11)");
    return 1;
}

File.Copy(Path.Combine(corlib, "mscorlib.pe"), Path.Combine(output, "mscorlib.pe"), true);
var options = new PeWriterOptions();
options.ReferenceDirectories.Add(corlib);
foreach (string name in new[] { "OneBit.Runtime", "OneBit.Bench" })
{
    string pe = Path.Combine(output, name + ".pe");
    PeWriter.WriteFile(Path.Combine(bin, name + ".dll"), pe, options);
    Console.WriteLine($"{name}.pe: {new FileInfo(pe).Length} bytes");
}
Console.WriteLine("run: nanoFramework.nanoCLR.test mscorlib.pe OneBit.Runtime.pe OneBit.Bench.pe (in " + output + ")");
return 0;
