using TorchSharp;
using static TorchSharp.torch;

namespace OneBit.Training;

/// <summary>
/// Every tensor operation of the training code that takes a <see cref="Scalar"/>, with that Scalar kept alive until
/// libtorch has returned. TorchSharp 0.107 turns each .NET number into a Scalar object whose only owner is its
/// finalizer (dispose scopes do not track Scalars), and its one-argument add/add_ overloads (hence tensor + tensor)
/// build a hidden alpha = 1 the same way (Tensor.Math.cs: add(target) → add(target, 1)). Once the native handle is
/// read the object is unreachable, so a collection on any thread can free it while libtorch is still reading it:
/// c10 "Expected false to be true" from Scalar::toDouble / toFloat / toLong, or a wrong alpha. Here the alpha is a
/// static Scalar (rooted for the life of the process), and every other Scalar is disposed only after the call.
/// Tensor − tensor needs no helper: THSTensor_sub takes no alpha from .NET.
/// </summary>
public static class TensorOps
{
    /// <summary>The alpha TorchSharp's own add(target) passes (the int 1), never finalized.</summary>
    static readonly Scalar One = 1.ToScalar();

    /// <summary>a + b (the value of TorchSharp's a.add(b)).</summary>
    public static Tensor Add(Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a += b in place.</summary>
    public static Tensor AddInPlace(Tensor a, Tensor b) => a.add_(b, One);

    /// <summary>op applied to a Scalar holding v, disposed (and so reachable) until op has returned.</summary>
    static Tensor WithScalar(double v, Func<Scalar, Tensor> op)
    {
        using var s = v.ToScalar();
        return op(s);
    }

    /// <summary>a + v.</summary>
    public static Tensor Add(Tensor a, double v) => WithScalar(v, s => a.add(s, One));
    public static Tensor Mul(Tensor a, double v) => WithScalar(v, a.mul);
    public static Tensor MulInPlace(Tensor a, double v) => WithScalar(v, a.mul_);
    public static Tensor SubInPlace(Tensor a, double v) => WithScalar(v, a.sub_);
    public static Tensor Div(Tensor a, double v) => WithScalar(v, s => a.div(s));
    public static Tensor ClampMin(Tensor a, double min) => WithScalar(min, a.clamp_min);

    /// <summary>a ≥ v as a boolean tensor.</summary>
    public static Tensor GreaterEqual(Tensor a, double v) => WithScalar(v, a.ge);

    public static Tensor Clamp(Tensor a, double min, double max)
    {
        using Scalar lo = min.ToScalar(), hi = max.ToScalar();
        return a.clamp(lo, hi);
    }

    public static Tensor ClampInPlace(Tensor a, double min, double max)
    {
        using Scalar lo = min.ToScalar(), hi = max.ToScalar();
        return a.clamp_(lo, hi);
    }

    /// <summary>(2·[w ≥ 0] − 1) in w's dtype: the sign with sign(0) = +1, exact in float32.</summary>
    public static Tensor Sign(Tensor w) => SubInPlace(MulInPlace(GreaterEqual(w, 0).to_type(w.dtype), 2), 1);
}
