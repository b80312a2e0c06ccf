using System.CommandLine;
using OneBit.Cli.Commands;

namespace OneBit.Cli;

/// <summary>
/// The product's single CLI. Each subcommand lives in Commands/&lt;Name&gt;Command.cs and exposes
/// `static Command Create()`; register it here with one line. Tests build this root to check the README's command table.
/// </summary>
public static class CliRoot
{
    public static RootCommand Create()
    {
        var root = new RootCommand("onebit: train, convert and run 1-bit-weight wide ResNets (McDonnell 2018/2019) for ESP32 and host");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(SelfTestCommand.Create());
        root.Subcommands.Add(ConvertCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(PlotCurvesCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(BuildDeviceCommand.Create());
        root.Subcommands.Add(FlashCommand.Create());
        root.Subcommands.Add(MonitorCommand.Create());
        return root;
    }
}
