namespace OneBit.Conversion.FloatModel;

/// <summary>An H×W×C float feature map, channel fastest: element (y, x, c) is at (y·W + x)·C + c.</summary>
public sealed class FloatTensor
{
    public int Height { get; }
    public int Width { get; }
    public int Channels { get; }
    public float[] Data { get; }

    public FloatTensor(int height, int width, int channels)
    {
        Height = height; Width = width; Channels = channels;
        Data = new float[checked(height * width * channels)];
    }

    public float this[int y, int x, int c]
    {
        get => Data[(y * Width + x) * Channels + c];
        set => Data[(y * Width + x) * Channels + c] = value;
    }
}
