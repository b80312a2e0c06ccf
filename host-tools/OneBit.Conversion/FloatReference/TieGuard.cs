namespace OneBit.Conversion.FloatReference;

/// <summary>
/// Exact ties are common in these networks: sums of ±1·(2j − z) are integers, and m = sqrt(2/(9·C)) is rational
/// for C = 8, 32, 128 …, so a conv output can equal a threshold exactly in real arithmetic, while float rounding
/// (in the float model, or in the converter's division) lands it an ulp to either side. Both sides therefore
/// compare with the same guard of 10^−6 level units, so an exact tie counts as reaching the level
/// (CONTRACT.md §3: "≥"), as it does in exact arithmetic.
/// </summary>
public static class TieGuard
{
    public const double Levels = 1e-6;
}
