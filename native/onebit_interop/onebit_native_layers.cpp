/*
 * The handlers of OneBit.Native.NativeLayers (device/OneBit.Native/NativeLayers.cs): each reads the layer's fields and
 * the managed arrays from the stack frame (arguments in declaration order, a static method's first at ArgN(0)),
 * checks nulls, element types and row ranges, and calls the C kernel on the arrays' own memory; the kernel checks the
 * fields against the contract and every index against the lengths before it reads or writes, and its status becomes
 * nanoCLR's HRESULT (FromStatus), which nanoCLR throws as an exception in C#.
 */
#include "onebit_interop.h"
#include "onebit_native.h"

using namespace onebit_interop;

typedef Library_onebit_native_OneBit_Native_NativeLayers NativeLayers;

HRESULT onebit_interop::FromStatus(int32_t status)
{
    switch (status)
    {
        case OB_OK:
            return S_OK;
        case OB_E_NULL:
            return CLR_E_ARGUMENT_NULL;
        case OB_E_LAYER:
            return CLR_E_INVALID_PARAMETER;
        case OB_E_ROWS:
        case OB_E_SHORT:
            return CLR_E_OUT_OF_RANGE;
        default:
            return CLR_E_FAIL;
    }
}

namespace
{

HRESULT ConvRows(CLR_RT_StackFrame &stack)
{
    ob_conv_layer L;
    L.kernel = Int(stack, 0);
    L.stride = Int(stack, 1);
    L.pad_top = Int(stack, 2);
    L.pad_left = Int(stack, 3);
    L.in_channels = Int(stack, 4);
    L.out_channels = Int(stack, 5);
    L.in_height = Int(stack, 6);
    L.in_width = Int(stack, 7);
    L.out_height = Int(stack, 8);
    L.out_width = Int(stack, 9);
    L.bits = Int(stack, 10);
    L.zero_code = Int(stack, 11);
    uint32_t *weights, *planes;
    int32_t *acc;
    int32_t weightsLen, planesLen, accLen;
    HRESULT hr;
    if (FAILED(hr = Array(stack, 12, DATATYPE_U4, false, weights, weightsLen)) ||
        FAILED(hr = Array(stack, 13, DATATYPE_U4, false, planes, planesLen)) ||
        FAILED(hr = Array(stack, 15, DATATYPE_I4, false, acc, accLen)))
    {
        return hr;
    }
    int32_t inRows = Int(stack, 14), outRows = Int(stack, 16), oyStart = Int(stack, 17), oyEnd = Int(stack, 18);
    if (inRows <= 0 || FAILED(hr = Rows(outRows, oyStart, oyEnd)))
    {
        return CLR_E_OUT_OF_RANGE;
    }
    return FromStatus(ob_conv_rows(&L, weights, weightsLen, planes, planesLen, inRows, acc, accLen, outRows, oyStart, oyEnd));
}

HRESULT StemRows(CLR_RT_StackFrame &stack)
{
    ob_stem_layer L;
    L.in_channels = Int(stack, 0);
    L.out_channels = Int(stack, 1);
    L.kernel = Int(stack, 2);
    L.pad_top = Int(stack, 3);
    L.pad_left = Int(stack, 4);
    L.height = Int(stack, 5);
    L.width = Int(stack, 6);
    L.shift = Int(stack, 7);
    int32_t *pixelScale, *weightSumScale, *stream;
    uint32_t *weights;
    uint8_t *pixels;
    int32_t pixelScaleLen, weightSumScaleLen, weightsLen, pixelsLen, streamLen;
    HRESULT hr;
    if (FAILED(hr = Array(stack, 8, DATATYPE_I4, false, pixelScale, pixelScaleLen)) ||
        FAILED(hr = Array(stack, 9, DATATYPE_I4, false, weightSumScale, weightSumScaleLen)) ||
        FAILED(hr = Array(stack, 10, DATATYPE_U4, false, weights, weightsLen)) ||
        FAILED(hr = Array(stack, 11, DATATYPE_U1, false, pixels, pixelsLen)) ||
        FAILED(hr = Array(stack, 12, DATATYPE_I4, false, stream, streamLen)))
    {
        return hr;
    }
    int32_t outRows = Int(stack, 13), oyStart = Int(stack, 14), oyEnd = Int(stack, 15);
    if (FAILED(hr = Rows(outRows, oyStart, oyEnd)))
    {
        return hr;
    }
    // the kernel takes one length for both scale arrays: the shorter one bounds every read
    int32_t scalesLen = pixelScaleLen < weightSumScaleLen ? pixelScaleLen : weightSumScaleLen;
    return FromStatus(ob_stem_rows(&L, pixelScale, weightSumScale, scalesLen, weights, weightsLen, pixels, pixelsLen, stream, streamLen,
        outRows, oyStart, oyEnd));
}

HRESULT QuantizeRows(CLR_RT_StackFrame &stack)
{
    ob_quantize_layer L;
    L.mode = Int(stack, 0);
    L.bits = Int(stack, 1);
    L.rows = Int(stack, 2);
    L.height = Int(stack, 3);
    L.width = Int(stack, 4);
    L.channels = Int(stack, 5);
    L.shift = Int(stack, 6);
    int32_t *thresholds, *signs, *multipliers, *input;
    int64_t *offsets;
    uint32_t *planes;
    int32_t thresholdsLen, signsLen, multipliersLen, offsetsLen, inputLen, planesLen;
    HRESULT hr;
    // threshold mode reads thresholds and signs, affine mode multipliers and offsets; the kernel checks that the pair
    // its mode needs is there
    if (FAILED(hr = Array(stack, 7, DATATYPE_I4, true, thresholds, thresholdsLen)) ||
        FAILED(hr = Array(stack, 8, DATATYPE_I4, true, signs, signsLen)) ||
        FAILED(hr = Array(stack, 9, DATATYPE_I4, true, multipliers, multipliersLen)) ||
        FAILED(hr = Array(stack, 10, DATATYPE_I8, true, offsets, offsetsLen)) ||
        FAILED(hr = Array(stack, 11, DATATYPE_I4, false, input, inputLen)) ||
        FAILED(hr = Array(stack, 13, DATATYPE_U4, false, planes, planesLen)))
    {
        return hr;
    }
    int32_t inRows = Int(stack, 12), outRows = Int(stack, 14), yStart = Int(stack, 15), yEnd = Int(stack, 16);
    if (inRows <= 0 || FAILED(hr = Rows(outRows, yStart, yEnd)))
    {
        return CLR_E_OUT_OF_RANGE;
    }
    return FromStatus(ob_quantize_rows(&L, thresholds, thresholdsLen, signs, signsLen, multipliers, multipliersLen, offsets, offsetsLen,
        input, inputLen, inRows, planes, planesLen, outRows, yStart, yEnd));
}

void ResidualFields(CLR_RT_StackFrame &stack, ob_residual_layer &L)
{
    L.shortcut = Int(stack, 0);
    L.pad_top = Int(stack, 1);
    L.pad_left = Int(stack, 2);
    L.shift = Int(stack, 3);
    L.in_height = Int(stack, 4);
    L.in_width = Int(stack, 5);
    L.in_channels = Int(stack, 6);
    L.out_height = Int(stack, 7);
    L.out_width = Int(stack, 8);
    L.out_channels = Int(stack, 9);
}

/* Residual over int32 (int32_t, DATATYPE_I4) or int16 (int16_t, DATATYPE_I2) stream rings. */
template <typename S>
HRESULT ResidualRows(CLR_RT_StackFrame &stack, CLR_DataType element,
    int32_t (*kernel)(const ob_residual_layer *, const int32_t *, int32_t, const S *, int32_t, int32_t, const int32_t *, int32_t,
        int32_t, S *, int32_t, int32_t, int32_t, int32_t))
{
    ob_residual_layer L;
    ResidualFields(stack, L);
    int32_t *multipliers, *acc;
    S *streamIn, *streamOut;
    int32_t multipliersLen, inLen, accLen, outLen;
    HRESULT hr;
    if (FAILED(hr = Array(stack, 10, DATATYPE_I4, false, multipliers, multipliersLen)) ||
        FAILED(hr = Array(stack, 11, element, false, streamIn, inLen)) ||
        FAILED(hr = Array(stack, 13, DATATYPE_I4, false, acc, accLen)) ||
        FAILED(hr = Array(stack, 15, element, false, streamOut, outLen)))
    {
        return hr;
    }
    int32_t inRows = Int(stack, 12), accRows = Int(stack, 14), outRows = Int(stack, 16), oyStart = Int(stack, 17), oyEnd = Int(stack, 18);
    if (inRows <= 0 || accRows <= 0 || FAILED(hr = Rows(outRows, oyStart, oyEnd)))
    {
        return CLR_E_OUT_OF_RANGE;
    }
    return FromStatus(kernel(&L, multipliers, multipliersLen, streamIn, inLen, inRows, acc, accLen, accRows, streamOut, outLen, outRows,
        oyStart, oyEnd));
}

void PoolFields(CLR_RT_StackFrame &stack, ob_pool_layer &L)
{
    L.classes = Int(stack, 0);
    L.shift = Int(stack, 1);
    L.height = Int(stack, 2);
    L.width = Int(stack, 3);
}

HRESULT PoolRows(CLR_RT_StackFrame &stack)
{
    ob_pool_layer L;
    PoolFields(stack, L);
    int32_t *acc;
    int64_t *sums;
    int32_t accLen, sumsLen;
    HRESULT hr;
    if (FAILED(hr = Array(stack, 4, DATATYPE_I4, false, acc, accLen)) || FAILED(hr = Array(stack, 6, DATATYPE_I8, false, sums, sumsLen)))
    {
        return hr;
    }
    int32_t accRows = Int(stack, 5), yStart = Int(stack, 7), yEnd = Int(stack, 8);
    if (FAILED(hr = Rows(accRows, yStart, yEnd)))
    {
        return hr;
    }
    return FromStatus(ob_pool_rows(&L, acc, accLen, accRows, sums, sumsLen, yStart, yEnd));
}

HRESULT PoolFinish(CLR_RT_StackFrame &stack)
{
    ob_pool_layer L;
    PoolFields(stack, L);
    int32_t *scale, *logits;
    int64_t *offset, *sums;
    int32_t scaleLen, offsetLen, sumsLen, logitsLen;
    HRESULT hr;
    if (FAILED(hr = Array(stack, 4, DATATYPE_I4, false, scale, scaleLen)) ||
        FAILED(hr = Array(stack, 5, DATATYPE_I8, false, offset, offsetLen)) ||
        FAILED(hr = Array(stack, 6, DATATYPE_I8, false, sums, sumsLen)) ||
        FAILED(hr = Array(stack, 7, DATATYPE_I4, false, logits, logitsLen)))
    {
        return hr;
    }
    return FromStatus(ob_pool_finish(&L, scale, scaleLen, offset, offsetLen, sums, sumsLen, logits, logitsLen));
}

/* ob_preprocess over FramePreprocessor's own arrays: the window pairs must be arrays of the same length (the kernel reads
 * x0[i] and x1[i] together); the kernel then checks the fields, every window against the source, and both buffers against
 * the sizes before it reads a pixel. */
HRESULT Preprocess(CLR_RT_StackFrame &stack)
{
    ob_frame_layer L;
    L.format = Int(stack, 0);
    L.src_width = Int(stack, 1);
    L.src_height = Int(stack, 2);
    L.out_height = Int(stack, 3);
    L.out_width = Int(stack, 4);
    L.out_channels = Int(stack, 5);
    int32_t *x0, *x1, *y0, *y1;
    uint8_t *frame, *input;
    int32_t x0Len, x1Len, y0Len, y1Len, frameLen, inputLen;
    HRESULT hr;
    if (FAILED(hr = Array(stack, 6, DATATYPE_I4, false, x0, x0Len)) || FAILED(hr = Array(stack, 7, DATATYPE_I4, false, x1, x1Len)) ||
        FAILED(hr = Array(stack, 8, DATATYPE_I4, false, y0, y0Len)) || FAILED(hr = Array(stack, 9, DATATYPE_I4, false, y1, y1Len)) ||
        FAILED(hr = Array(stack, 10, DATATYPE_U1, false, frame, frameLen)) ||
        FAILED(hr = Array(stack, 11, DATATYPE_U1, false, input, inputLen)))
    {
        return hr;
    }
    if (x0Len != x1Len || y0Len != y1Len)
    {
        return CLR_E_INVALID_PARAMETER;
    }
    return FromStatus(ob_preprocess(&L, x0, x1, x0Len, y0, y1, y0Len, frame, frameLen, input, inputLen));
}

} // namespace

HRESULT NativeLayers::InteropVersion___STATIC__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    stack.SetResult_I4(ONEBIT_INTEROP_VERSION);
    NANOCLR_NOCLEANUP_NOLABEL();
}

HRESULT NativeLayers::Conv___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__SZARRAY_U4__SZARRAY_U4__I4__SZARRAY_I4__I4__I4__I4(
    CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    NANOCLR_CHECK_HRESULT(ConvRows(stack));
    NANOCLR_NOCLEANUP();
}

HRESULT NativeLayers::Stem___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_U4__SZARRAY_U1__SZARRAY_I4__I4__I4__I4(
    CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    NANOCLR_CHECK_HRESULT(StemRows(stack));
    NANOCLR_NOCLEANUP();
}

HRESULT NativeLayers::
    Quantize___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I8__SZARRAY_I4__I4__SZARRAY_U4__I4__I4__I4(
        CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    NANOCLR_CHECK_HRESULT(QuantizeRows(stack));
    NANOCLR_NOCLEANUP();
}

HRESULT NativeLayers::
    Residual___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__I4__SZARRAY_I4__I4__SZARRAY_I4__I4__I4__I4(
        CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    NANOCLR_CHECK_HRESULT(ResidualRows<int32_t>(stack, DATATYPE_I4, ob_residual_rows));
    NANOCLR_NOCLEANUP();
}

HRESULT NativeLayers::
    Residual16___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I2__I4__SZARRAY_I4__I4__SZARRAY_I2__I4__I4__I4(
        CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    NANOCLR_CHECK_HRESULT(ResidualRows<int16_t>(stack, DATATYPE_I2, ob_residual_rows_i16));
    NANOCLR_NOCLEANUP();
}

HRESULT NativeLayers::PoolRows___STATIC__VOID__I4__I4__I4__I4__SZARRAY_I4__I4__SZARRAY_I8__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    NANOCLR_CHECK_HRESULT(PoolRows(stack));
    NANOCLR_NOCLEANUP();
}

HRESULT NativeLayers::PoolFinish___STATIC__VOID__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I8__SZARRAY_I8__SZARRAY_I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    NANOCLR_CHECK_HRESULT(PoolFinish(stack));
    NANOCLR_NOCLEANUP();
}

HRESULT NativeLayers::Preprocess___STATIC__VOID__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__SZARRAY_U1(
    CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    NANOCLR_CHECK_HRESULT(Preprocess(stack));
    NANOCLR_NOCLEANUP();
}
