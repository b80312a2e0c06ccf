// HARDWARE-ONLY: the device entry point. Compiled only by OneBit.App.nfproj (Visual Studio + nanoFramework
// extension); it needs nanoFramework.Hardware.Esp32, nanoFramework.System.Device.Gpio and
// nanoFramework.Runtime.Native, which are not in this build's package mirror, so the CI compile check excludes
// this folder. Keep it to wiring: every decision lives in the portable sources (DeviceApp, ArduCamMini2MP).
using System.Device.Gpio;
using System.Threading;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Runtime.Native;
using OneBit.App.Hardware;
using OneBit.Camera;
using OneBit.Camera.NanoFramework;

namespace OneBit.App.NanoFramework
{
    public static class Program
    {
        // ESP32-WROVER wiring of the ArduCAM Mini 2MP (device/README.md): VSPI pins and the default I2C pins.
        private const int SpiBus = 1;
        private const int PinSck = 18;
        private const int PinMiso = 19;
        private const int PinMosi = 23;
        private const int PinCameraCs = 5;
        private const int I2cBus = 1;
        private const int PinSda = 21;
        private const int PinScl = 22;
        private const int PinLed = 2;
        private const int SpiClockHz = 4000000;

        public static void Main()
        {
            Configuration.SetPinFunction(PinMosi, DeviceFunction.SPI1_MOSI);
            Configuration.SetPinFunction(PinMiso, DeviceFunction.SPI1_MISO);
            Configuration.SetPinFunction(PinSck, DeviceFunction.SPI1_CLOCK);
            Configuration.SetPinFunction(PinSda, DeviceFunction.I2C1_DATA);
            Configuration.SetPinFunction(PinScl, DeviceFunction.I2C1_CLOCK);

            ArduCamMini2MP camera = new ArduCamMini2MP(
                new NanoI2cBus(I2cBus, 0x30),
                new NanoSpiBus(SpiBus, PinCameraCs, SpiClockHz),
                SystemClock.Instance,
                new ArduCamSettings());

            DeviceApp app = new DeviceApp(camera, new ResourceModelSource(), new ConsoleOutput(), SystemClock.Instance,
                new GpioLed(PinLed), new NativeMemoryProbe(), new AppOptions());
            if (!app.Start())
            {
                Thread.Sleep(Timeout.Infinite);   // the reason was printed; nothing sensible to run
            }
            app.Run(0);
        }
    }

    /// <summary>
    /// The model blob as the binary resource 'model' of Resources.resx (device/OneBit.App/MODEL-DEPLOYMENT.md), read in
    /// slices with ResourceUtility.GetObject(manager, id, offset, length), so the whole blob is never copied into RAM.
    /// Its length is the blob header's total-size field (offset 8); a resource shorter than that fails on read.
    /// </summary>
    internal sealed class ResourceModelSource : IModelSource
    {
        private int _length = -1;

        public string Description { get { return "embedded resource 'model'"; } }

        public int Length
        {
            get
            {
                if (_length < 0)
                {
                    byte[] total = Read(8, 4);
                    _length = total[0] | (total[1] << 8) | (total[2] << 16) | (total[3] << 24);
                }
                return _length;
            }
        }

        public byte[] Read(int offset, int count)
        {
            return (byte[])ResourceUtility.GetObject(Resources.ResourceManager, Resources.BinaryResources.model, offset, count);
        }
    }

    internal sealed class GpioLed : IStatusLed
    {
        private readonly GpioPin _pin;

        public GpioLed(int pin)
        {
            _pin = new GpioController().OpenPin(pin, PinMode.Output);
        }

        public void Set(bool on)
        {
            _pin.Write(on ? PinValue.High : PinValue.Low);
        }
    }

    internal sealed class NativeMemoryProbe : IMemoryProbe
    {
        public long FreeBytes()
        {
            return nanoFramework.Runtime.Native.GC.Run(false);
        }
    }
}
