using OneBit.Cli;

return CliRoot.Create().Parse(args).Invoke();
