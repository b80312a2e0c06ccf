using System;

[assembly: System.Reflection.AssemblyVersion("1.2.3.4")]

namespace OneBit.PeWriter.Fixture
{
    public enum Mode : byte
    {
        Off = 0,
        Slow = 1,
        Fast = 2,
    }

    public interface IShape
    {
        int Area();
    }

    [AttributeUsage(AttributeTargets.Class)]
    public sealed class TagAttribute : Attribute
    {
        public TagAttribute(string name, int weight)
        {
            Name = name;
            Weight = weight;
        }

        public string Name { get; }

        public int Weight { get; }
    }

    public struct Point
    {
        public int X;
        public int Y;

        public Point(int x, int y)
        {
            X = x;
            Y = y;
        }
    }

    public delegate int Combiner(int a, int b);

    [Tag("square", 3)]
    public class Square : IShape
    {
        private static readonly byte[] Table = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
        private static int s_created;
        private readonly int _side;

        public Square(int side)
        {
            _side = side;
            s_created++;
        }

        public virtual int Area() => _side * _side;

        public static int Created => s_created;

        public static int Lookup(int i) => Table[i % Table.Length];

        public override string ToString() => "Square " + _side.ToString();

        public class Builder
        {
            public Square Build(int side) => new Square(side);
        }
    }

    public static class Program
    {
        public static string Describe(Mode mode)
        {
            switch (mode)
            {
                case Mode.Off:
                    return "off";
                case Mode.Slow:
                    return "slow";
                case Mode.Fast:
                    return "fast";
                default:
                    return "unknown";
            }
        }

        public static int Combine(Combiner combiner, int a, int b) => combiner(a, b);

        public static int Add(int a, int b) => a + b;

        public static int Safe(int[] values, int index)
        {
            try
            {
                return values[index];
            }
            catch (IndexOutOfRangeException)
            {
                return -1;
            }
            finally
            {
                s_calls++;
            }
        }

        private static int s_calls;

        public static int Sum(Point p)
        {
            int total = 0;
            for (int i = 0; i < 300; i++)
            {
                total += p.X * i + p.Y;
                if (total > 100000)
                {
                    throw new InvalidOperationException("overflow in Sum");
                }
            }

            return total;
        }

        public static object Run()
        {
            var square = new Square.Builder().Build(4);
            IShape shape = square;
            var text = Describe(Mode.Fast) + shape.Area().ToString();
            return text + Combine(Add, 1, 2).ToString() + Sum(new Point(1, 2)).ToString();
        }
    }
}
