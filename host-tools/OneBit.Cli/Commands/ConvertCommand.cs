using System.CommandLine;
using OneBit.Conversion.Folding;
using OneBit.Conversion.Inspection;
using OneBit.Datasets;
using OneBit.ModelExport;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Host;
using OneBit.Runtime.Model;
using Spectre.Console;

namespace OneBit.Cli.Commands;

/// <summary>`onebit convert`: fold a trained float network into a blob (CONTRACT.md), with embedded test vectors.</summary>
public static class ConvertCommand
{
    public static Command Create()
    {
        var cmd = new Command("convert", "Fold a trained network (.obmx export) into an XNOR/popcount model blob (.obnb)");
        var input = new Argument<string>("model") { Description = "Trained model: .obmx (onebit train)" };
        var output = new Option<string?>("--output", "-o") { Description = "Blob to write (default: the model path with .obnb)" };
        var bits = new Option<int>("--bits") { Description = "Activation bits for full-precision quantizers (1, 2, 4, 8)", DefaultValueFactory = _ => 8 };
        var calibrate = new Option<string?>("--calibrate") { Description = "Calibrate full-precision activations on this dataset. " + DatasetSpec.Help };
        var calibrationImages = new Option<int>("--calibration-images") { Description = "Images used for calibration", DefaultValueFactory = _ => 200 };
        var percentile = new Option<double>("--percentile") { Description = "Percentile of activations the top level covers", DefaultValueFactory = _ => 99.99 };
        var vectors = new Option<int>("--test-vectors") { Description = "Embedded self-test vectors (frames from the calibration dataset, else synthetic)", DefaultValueFactory = _ => 4 };
        var fracBits = new Option<int>("--stream-frac-bits") { Description = "Fraction bits F of the residual stream", DefaultValueFactory = _ => ModelFolder.DefaultStreamFracBits };
        var streamBits = new Option<int>("--stream-bits") { Description = "Stream storage on the device: 32, or 16 (F lowered from --stream-frac-bits until the stream provably fits int16 rings, halving the device's largest buffers)", DefaultValueFactory = _ => 32 };
        var shared = new Option<string?>("--shared") { Description = "The shared data folder (default: $ONEBIT_SHARED, else ../shared)" };
        var verify = new Option<string?>("--verify") { Description = "After converting, compare float model and integer runtime on this dataset (see `onebit verify`)" };
        var verifyImages = new Option<int>("--verify-images") { Description = "Images for --verify", DefaultValueFactory = _ => 1000 };
        var report = new Option<string?>("--report") { Description = "Write the --verify report to this file" };
        var agreementOnly = new Option<bool>("--agreement-only") { Description = "--verify ignores the dataset's labels (not this model's classes)" };
        var wideAffine = new Option<bool>("--wide-affine") { Description = "Per-channel affine quantizers as record kind 6 (32/64-bit, 12 B/channel) instead of kind 7 (24-bit, 6 B/channel)" };
        foreach (Option o in new Option[] { output, bits, calibrate, calibrationImages, percentile, vectors, fracBits, streamBits, shared, verify, verifyImages, report, agreementOnly, wideAffine }) cmd.Options.Add(o);
        cmd.Arguments.Add(input);
        cmd.SetAction(parse => UserErrors.Guard(() =>
        {
            string path = parse.GetValue(input)!;
            ExportedModel model = ModelSource.Load(path);
            ImageSet? data = null;
            string? spec = parse.GetValue(calibrate);
            if (spec != null) data = DatasetSpec.LoadForModel(spec, parse.GetValue(shared), model.Input.Height, model.Input.Width, model.Input.Channels);

            bool fullPrecision = model.Quantizers.Any(q => (q.Bits ?? 0) == 0);
            if (fullPrecision)
            {
                if (data == null) throw new ArgumentException("the model has full-precision activations: give --calibrate DATASET to choose their quantizers");
                int[] idx = DatasetSpec.Spread(data.Count, parse.GetValue(calibrationImages));
                model = AnsiConsole.Progress().Start(ctx =>
                {
                    var task = ctx.AddTask($"calibrating {idx.Length} images", maxValue: idx.Length);
                    return Calibrator.Calibrate(model, idx.Select(i => data.Image(i).ToArray()), parse.GetValue(bits), parse.GetValue(percentile),
                        progress: new Progress<int>(n => task.Value = n));
                });
            }
            int storage = parse.GetValue(streamBits);
            if (storage != 16 && storage != 32) throw new ArgumentException($"--stream-bits must be 16 or 32, not {storage}");
            Network net = storage == 16
                ? ModelFolder.FoldWithin16BitStream(model, parse.GetValue(fracBits), compactAffine: !parse.GetValue(wideAffine))
                : ModelFolder.Fold(model, parse.GetValue(fracBits), compactAffine: !parse.GetValue(wideAffine));
            int n = parse.GetValue(vectors);
            byte[][] frames = data != null
                ? DatasetSpec.Spread(data.Count, n).Select(i => data.Image(i).ToArray()).ToArray()
                : Enumerable.Range(0, n).Select(i => SyntheticNetworks.RandomPixels(new Random(i), net.InputBytes)).ToArray();
            byte[] blob = TestVectorMaker.WriteWithTestVectors(net, frames, n => KernelChoice.Runner("host", n));
            string outPath = parse.GetValue(output) ?? Path.ChangeExtension(path, ".obnb");
            BlobWriter.SaveAtomically(outPath, blob);
            Console.Write(BlobInspector.Text(BlobReader.Read(blob), blob.Length));
            Console.WriteLine($"wrote {outPath}");
            string? verifySpec = parse.GetValue(verify);
            if (verifySpec != null)
            {
                ImageSet set = verifySpec == spec && data != null ? data : DatasetSpec.LoadForModel(verifySpec, parse.GetValue(shared), model.Input.Height, model.Input.Width, model.Input.Channels);
                string text = VerifyCommand.Run(model, BlobReader.Read(blob), set, parse.GetValue(verifyImages), "host", !parse.GetValue(agreementOnly));
                Console.Write(text);
                string? reportPath = parse.GetValue(report);
                if (reportPath != null) File.WriteAllText(reportPath, text);
            }
            return 0;
        }));
        return cmd;
    }
}
