using System.CommandLine;
using OneBit.Conversion.Inspection;
using OneBit.Runtime.Blob;

namespace OneBit.Cli.Commands;

/// <summary>`onebit inspect`: the layer table of a blob (stable text, usable as a golden file).</summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var cmd = new Command("inspect", "Print a blob's layers, shapes, bits, parameter bytes, MACs and memory");
        var blob = new Argument<string>("blob") { Description = "Model blob (.obnb)" };
        var format = new Option<string>("--format") { Description = "Output format: text", DefaultValueFactory = _ => "text" };
        cmd.Arguments.Add(blob);
        cmd.Options.Add(format);
        cmd.SetAction(parse =>
        {
            string path = parse.GetValue(blob)!;
            if (parse.GetValue(format) != "text") { Console.Error.WriteLine("error: only --format text is implemented"); return 2; }
            if (!File.Exists(path)) { Console.Error.WriteLine($"error: no such file: {path}"); return 2; }
            byte[] bytes = File.ReadAllBytes(path);
            try
            {
                Console.Write(BlobInspector.Text(BlobReader.Read(bytes), bytes.Length));
                return 0;
            }
            catch (BlobFormatException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }
        });
        return cmd;
    }
}
