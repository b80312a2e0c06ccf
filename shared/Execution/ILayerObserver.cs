namespace OneBit.Runtime.Execution
{
    /// <summary>
    /// Sees the runner's buffers after every layer (host `verify` reports per-layer deviation with it). The arrays
    /// belong to the runner and are only valid during the call.
    /// </summary>
    public interface ILayerObserver
    {
        void AfterLayer(int layerIndex, int[] stream, uint[] planes, int[] accumulator, int[] logits);
    }
}
