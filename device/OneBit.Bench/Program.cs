using System;

namespace OneBit.Bench
{
    public static class Program
    {
        public static void Main()
        {
            Console.WriteLine("hello from OneBit.Bench");
            long t0 = DateTime.UtcNow.Ticks;
            int s = 0;
            for (int i = 0; i < 1000000; i++) s += i;
            long t1 = DateTime.UtcNow.Ticks;
            Console.WriteLine("loop ms " + ((t1 - t0) / 10000).ToString() + " s=" + s.ToString());
        }
    }
}
