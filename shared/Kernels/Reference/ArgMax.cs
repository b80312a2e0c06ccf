namespace OneBit.Runtime.Kernels.Reference
{
    public static class ArgMax
    {
        /// <summary>Index of the largest of the first <paramref name="count"/> values; the smallest index wins ties.</summary>
        public static int Of(int[] values, int count)
        {
            int best = 0;
            for (int i = 1; i < count; i++)
            {
                if (values[i] > values[best]) best = i;
            }
            return best;
        }
    }
}
