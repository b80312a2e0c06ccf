using OneBit.Cli;

ConsoleOutput.Install();
return CliRoot.Create().Parse(args).Invoke();
