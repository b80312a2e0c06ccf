namespace OneBit.App.Synthetic
{
    /// <summary>
    /// Entry point on the device (nanoCLR starts the static Main it finds). Runs the model on synthetic frames forever,
    /// one report line per frame on the console (nanoCLR sends it over the debug serial port; `onebit monitor` shows it).
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            SyntheticApp app = new SyntheticApp(ModelData.Blob(), ModelData.Description, 0, Runtime.Execution.DeviceMemoryPlan.PsramBudgetBytes);
            app.Run();
        }
    }
}
