namespace OneBit.App.Hardware
{
    /// <summary>An optional indicator (a GPIO LED on the device).</summary>
    public interface IStatusLed
    {
        void Set(bool on);
    }
}
