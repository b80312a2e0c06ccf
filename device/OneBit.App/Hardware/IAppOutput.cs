using System;

namespace OneBit.App.Hardware
{
    /// <summary>Where the app's report lines go (console, serial port, a test's list).</summary>
    public interface IAppOutput
    {
        void WriteLine(string line);
    }

    /// <summary>System.Console (on nanoFramework it goes to the debugger / Visual Studio output window).</summary>
    public sealed class ConsoleOutput : IAppOutput
    {
        public void WriteLine(string line)
        {
            Console.WriteLine(line);
        }
    }
}
