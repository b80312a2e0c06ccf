using System;

namespace OneBit.Camera.Bus
{
    /// <summary>What went wrong on a bus.</summary>
    public enum BusFault
    {
        /// <summary>An I2C device did not acknowledge its address or a byte (absent, wrong address, unpowered).</summary>
        Nack = 1,
        /// <summary>The transfer did not finish in time (clock stretching, stuck bus).</summary>
        Timeout = 2,
        /// <summary>Fewer bytes were transferred than asked for.</summary>
        ShortTransfer = 3,
        /// <summary>Anything else the platform driver reported.</summary>
        Other = 4,
    }

    /// <summary>A bus transfer failed. Thrown by bus adapters; drivers turn it into a FrameSourceException with context.</summary>
    public class BusFaultException : Exception
    {
        public BusFaultException(BusFault fault, string message) : base(message)
        {
            Fault = fault;
        }

        public BusFaultException(BusFault fault, string message, Exception inner) : base(message, inner)
        {
            Fault = fault;
        }

        public BusFault Fault { get; private set; }

        public static string Describe(BusFault fault)
        {
            switch (fault)
            {
                case BusFault.Nack: return "no acknowledge";
                case BusFault.Timeout: return "timeout";
                case BusFault.ShortTransfer: return "short transfer";
                default: return "bus error";
            }
        }
    }
}
