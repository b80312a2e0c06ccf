/*
 * The glue of OneBit.Native (../onebit_native_layers.cpp) and its generated table on a PC, over a stand-in of the
 * nanoCLR types (nanoclr_standin/): every handler is reached through the table, as nanoCLR reaches it; valid arguments
 * give what the C kernel gives when called directly; bad ones give nanoCLR's error codes and leave the buffers
 * untouched. Built and run by tests/OneBit.NativeKernels.Tests/InteropGlueTests (CMakeLists.txt here, with
 * AddressSanitizer and UndefinedBehaviorSanitizer). Prints "glue checks passed: N" and exits 0, or names each failure.
 */
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "onebit_interop.h"
#include "onebit_native.h"

typedef Library_onebit_native_OneBit_Native_NativeLayers NativeLayers;

namespace
{

int failures = 0, passed = 0;

void Check(bool ok, const char *what)
{
    if (ok)
    {
        passed++;
    }
    else
    {
        failures++;
        std::printf("FAILED: %s\n", what);
    }
}

/* The arguments of one call, in declaration order, as nanoCLR lays them out for a static method. */
class Args
{
  public:
    Args &Int(int32_t value)
    {
        CLR_RT_HeapBlock block{};
        block.m_numeric.s4 = value;
        m_blocks.push_back(block);
        return *this;
    }

    template <typename T> Args &Array(std::vector<T> &values, CLR_DataType type)
    {
        m_arrays.emplace_back(new CLR_RT_HeapBlock_Array{(CLR_UINT32)values.size(), (CLR_UINT8)type, (CLR_UINT8)sizeof(T), values.data()});
        CLR_RT_HeapBlock block{};
        block.m_array = m_arrays.back().get();
        m_blocks.push_back(block);
        return *this;
    }

    Args &Null()
    {
        m_blocks.push_back(CLR_RT_HeapBlock{});
        return *this;
    }

    HRESULT Call(CLR_RT_MethodHandler handler, int32_t *result = nullptr)
    {
        CLR_RT_StackFrame frame{m_blocks.data(), -1};
        HRESULT hr = handler(frame);
        if (result != nullptr) *result = frame.m_result;
        return hr;
    }

  private:
    std::vector<CLR_RT_HeapBlock> m_blocks;
    std::vector<std::unique_ptr<CLR_RT_HeapBlock_Array>> m_arrays;
};

/* The table row holding `handler`, as nanoCLR would call it; null when the table lacks it. */
CLR_RT_MethodHandler Row(CLR_RT_MethodHandler handler)
{
    const CLR_RT_MethodHandler *rows = static_cast<const CLR_RT_MethodHandler *>(g_CLR_AssemblyNative_OneBit_Native.m_pNativeMethods);
    for (int i = 0; i < 64; i++)
    {
        if (rows[i] == handler) return rows[i];
    }
    return nullptr;
}

uint32_t state = 12345;

uint32_t Next()
{
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
}

template <typename T> std::vector<T> Random(size_t n, uint32_t mask)
{
    std::vector<T> v(n);
    for (auto &x : v) x = (T)(Next() & mask);
    return v;
}

/* A 3x3 stride-1 conv, 40 -> 5 channels (two words per channel group), 6x6, 2-bit planes. */
const ob_conv_layer Conv = {3, 1, 1, 1, 40, 5, 6, 6, 6, 6, 2, 1};

Args &ConvFields(Args &a, const ob_conv_layer &L)
{
    return a.Int(L.kernel).Int(L.stride).Int(L.pad_top).Int(L.pad_left).Int(L.in_channels).Int(L.out_channels).Int(L.in_height)
        .Int(L.in_width).Int(L.out_height).Int(L.out_width).Int(L.bits).Int(L.zero_code);
}

HRESULT CallConv(const ob_conv_layer &L, std::vector<uint32_t> &w, std::vector<uint32_t> &p, int32_t inRows, std::vector<int32_t> &acc,
    int32_t outRows, int32_t start, int32_t end, CLR_DataType planesType = DATATYPE_U4, bool nullWeights = false)
{
    Args a;
    ConvFields(a, L);
    if (nullWeights) a.Null();
    else a.Array(w, DATATYPE_U4);
    a.Array(p, planesType).Int(inRows).Array(acc, DATATYPE_I4).Int(outRows).Int(start).Int(end);
    return a.Call(Row(NativeLayers::Conv___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__SZARRAY_U4__SZARRAY_U4__I4__SZARRAY_I4__I4__I4__I4));
}

void ConvChecks()
{
    auto w = Random<uint32_t>(5 * 9 * 2, 0xFFFFFFFFu), p = Random<uint32_t>(6 * 6 * 2 * 2, 0xFFFFFFFFu);
    std::vector<int32_t> acc(6 * 6 * 5, 7), expected(acc);
    Check(ob_conv_rows(&Conv, w.data(), (int32_t)w.size(), p.data(), (int32_t)p.size(), 6, expected.data(), (int32_t)expected.size(), 6, 0, 6) == OB_OK,
        "direct conv call");
    Check(CallConv(Conv, w, p, 6, acc, 6, 0, 6) == S_OK && acc == expected, "conv through the table equals the kernel");

    std::vector<int32_t> untouched(acc.size(), 7), out(untouched);
    Check(CallConv(Conv, w, p, 6, out, 6, 0, 6, DATATYPE_U4, true) == CLR_E_ARGUMENT_NULL && out == untouched, "null weights");
    Check(CallConv(Conv, w, p, 6, out, 6, 0, 6, DATATYPE_I4) == CLR_E_INVALID_PARAMETER && out == untouched, "planes of another element type");
    std::vector<int32_t> shortAcc(6 * 5 - 1, 7), shortCopy(shortAcc);
    Check(CallConv(Conv, w, p, 6, shortAcc, 1, 0, 1) == CLR_E_OUT_OF_RANGE && shortAcc == shortCopy, "accumulator ring shorter than a row");
    Check(CallConv(Conv, w, p, 6, out, 6, -1, 6) == CLR_E_OUT_OF_RANGE && out == untouched, "negative first row");
    Check(CallConv(Conv, w, p, 6, out, 6, 4, 3) == CLR_E_OUT_OF_RANGE && out == untouched, "reversed row range");
    Check(CallConv(Conv, w, p, 6, out, 6, 0, 7) == CLR_E_OUT_OF_RANGE && out == untouched, "rows past the tensor");
    Check(CallConv(Conv, w, p, 0, out, 6, 0, 6) == CLR_E_OUT_OF_RANGE && out == untouched, "input ring of no rows");
    ob_conv_layer bits3 = Conv;
    bits3.bits = 3;
    Check(CallConv(bits3, w, p, 6, out, 6, 0, 6) == CLR_E_INVALID_PARAMETER && out == untouched, "3-bit planes");
    std::vector<uint32_t> fewWeights(w.begin(), w.end() - 1);
    Check(CallConv(Conv, fewWeights, p, 6, out, 6, 0, 6) == CLR_E_OUT_OF_RANGE && out == untouched, "weights one word short");
}

void VersionCheck()
{
    int32_t version = 0;
    Args a;
    Check(a.Call(Row(NativeLayers::InteropVersion___STATIC__I4), &version) == S_OK && version == ONEBIT_INTEROP_VERSION, "interop version");
}

void PoolChecks()
{
    const ob_pool_layer L = {10, 4, 3, 3};
    std::vector<int32_t> scale = Random<int32_t>(10, 0xFFFF), logits(10, 0), expected(10, 0);
    std::vector<int64_t> offset = Random<int64_t>(10, 0xFFFFF), sums = Random<int64_t>(10, 0xFFFFFF);
    Check(ob_pool_finish(&L, scale.data(), 10, offset.data(), 10, sums.data(), 10, expected.data(), 10) == OB_OK, "direct pool finish");
    auto finish = Row(NativeLayers::PoolFinish___STATIC__VOID__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I8__SZARRAY_I8__SZARRAY_I4);
    Args ok;
    ok.Int(10).Int(4).Int(3).Int(3).Array(scale, DATATYPE_I4).Array(offset, DATATYPE_I8).Array(sums, DATATYPE_I8).Array(logits, DATATYPE_I4);
    Check(ok.Call(finish) == S_OK && logits == expected, "pool finish through the table equals the kernel");
    std::vector<int32_t> shortLogits(9, 0);
    Args bad;
    bad.Int(10).Int(4).Int(3).Int(3).Array(scale, DATATYPE_I4).Array(offset, DATATYPE_I8).Array(sums, DATATYPE_I8).Array(shortLogits, DATATYPE_I4);
    Check(bad.Call(finish) == CLR_E_OUT_OF_RANGE && shortLogits == std::vector<int32_t>(9, 0), "nine logits for ten classes");
}

void QuantizeChecks()
{
    // threshold mode (0) without its thresholds: the affine pair may be null, this one may not
    std::vector<int32_t> signs(4, 1), input = Random<int32_t>(2 * 2 * 4, 0xFF);
    std::vector<uint32_t> planes(2 * 2 * 1, 0);
    Args a;
    a.Int(0).Int(1).Int(4).Int(2).Int(2).Int(4).Int(0).Null().Array(signs, DATATYPE_I4).Null().Null().Array(input, DATATYPE_I4).Int(2)
        .Array(planes, DATATYPE_U4).Int(2).Int(0).Int(2);
    HRESULT hr = a.Call(Row(NativeLayers::Quantize___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I8__SZARRAY_I4__I4__SZARRAY_U4__I4__I4__I4));
    Check(hr == CLR_E_ARGUMENT_NULL && planes == std::vector<uint32_t>(4, 0), "threshold mode without thresholds");
}

void ResidualChecks()
{
    // 16-bit residual handed int32 rings: the element type is checked before the kernel sees them
    std::vector<int32_t> multipliers(4, 1), acc(16, 0), in(16, 0), out(16, 3);
    Args a;
    a.Int(0).Int(0).Int(0).Int(0).Int(2).Int(2).Int(4).Int(2).Int(2).Int(4).Array(multipliers, DATATYPE_I4).Array(in, DATATYPE_I4).Int(1)
        .Array(acc, DATATYPE_I4).Int(1).Array(out, DATATYPE_I4).Int(1).Int(0).Int(1);
    HRESULT hr = a.Call(Row(NativeLayers::Residual16___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I2__I4__SZARRAY_I4__I4__SZARRAY_I2__I4__I4__I4));
    Check(hr == CLR_E_INVALID_PARAMETER && out == std::vector<int32_t>(16, 3), "int32 rings given to the 16-bit residual");
}

/* An 8x6 RGB565 frame into 4x4x3 through 2x2 (columns) by 1..2 (rows) windows, as FramePreprocessor lays them out. */
struct PreprocessCase
{
    ob_frame_layer L = {1, 8, 6, 4, 4, 3};
    std::vector<int32_t> x0{0, 2, 4, 6}, x1{2, 4, 6, 8}, y0{0, 1, 3, 4}, y1{1, 3, 4, 6};
    std::vector<uint8_t> frame = Random<uint8_t>(8 * 6 * 2, 0xFF);
    CLR_DataType frameType = DATATYPE_U1;
    bool nullFrame = false;

    HRESULT Call(std::vector<uint8_t> &input)
    {
        Args a;
        a.Int(L.format).Int(L.src_width).Int(L.src_height).Int(L.out_height).Int(L.out_width).Int(L.out_channels)
            .Array(x0, DATATYPE_I4).Array(x1, DATATYPE_I4).Array(y0, DATATYPE_I4).Array(y1, DATATYPE_I4);
        if (nullFrame) a.Null();
        else a.Array(frame, frameType);
        a.Array(input, DATATYPE_U1);
        return a.Call(Row(NativeLayers::Preprocess___STATIC__VOID__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__SZARRAY_U1));
    }

    /* The call's status, and whether it left a 48-byte input of 0xA5 untouched. */
    bool Refused(HRESULT expected)
    {
        std::vector<uint8_t> input(4 * 4 * 3, 0xA5);
        return Call(input) == expected && input == std::vector<uint8_t>(4 * 4 * 3, 0xA5);
    }
};

void PreprocessChecks()
{
    PreprocessCase c;
    std::vector<uint8_t> input(48, 0xA5), expected(48, 0);
    Check(ob_preprocess(&c.L, c.x0.data(), c.x1.data(), 4, c.y0.data(), c.y1.data(), 4, c.frame.data(), (int32_t)c.frame.size(), expected.data(), 48) == OB_OK,
        "direct preprocess call");
    Check(c.Call(input) == S_OK && input == expected, "preprocess through the table equals the kernel");

    { PreprocessCase b; b.x1[3] = 9; Check(b.Refused(CLR_E_INVALID_PARAMETER), "column window past the frame"); }
    { PreprocessCase b; b.y0[2] = 4; Check(b.Refused(CLR_E_INVALID_PARAMETER), "empty row window"); }
    { PreprocessCase b; b.x0[0] = -1; Check(b.Refused(CLR_E_INVALID_PARAMETER), "negative column window"); }
    { PreprocessCase b; b.y1[3] = 7; Check(b.Refused(CLR_E_INVALID_PARAMETER), "row window past the frame"); }
    { PreprocessCase b; b.x1.pop_back(); Check(b.Refused(CLR_E_INVALID_PARAMETER), "column window pair of unequal lengths"); }
    { PreprocessCase b; b.y0.pop_back(); b.y1.pop_back(); Check(b.Refused(CLR_E_OUT_OF_RANGE), "fewer row windows than output rows"); }
    { PreprocessCase b; b.frame.pop_back(); Check(b.Refused(CLR_E_OUT_OF_RANGE), "frame one byte short"); }
    { PreprocessCase b; b.nullFrame = true; Check(b.Refused(CLR_E_ARGUMENT_NULL), "null frame"); }
    { PreprocessCase b; b.frameType = DATATYPE_I4; Check(b.Refused(CLR_E_INVALID_PARAMETER), "frame declared as ints"); }
    { PreprocessCase b; b.L.format = 4; Check(b.Refused(CLR_E_INVALID_PARAMETER), "unknown pixel format"); }
    { PreprocessCase b; b.L.out_channels = 2; Check(b.Refused(CLR_E_INVALID_PARAMETER), "two output channels"); }
    PreprocessCase s;
    std::vector<uint8_t> shortInput(47, 0xA5);
    Check(s.Call(shortInput) == CLR_E_OUT_OF_RANGE && shortInput == std::vector<uint8_t>(47, 0xA5), "input one byte short");
}

void TableChecks()
{
    Check(std::strcmp(g_CLR_AssemblyNative_OneBit_Native.m_szAssemblyName, "OneBit.Native") == 0, "assembly name");
    Check(g_CLR_AssemblyNative_OneBit_Native.m_checkSum == ONEBIT_NATIVE_CHECKSUM, "checksum of the table is the header's");
    CLR_RT_MethodHandler handlers[] = {
        NativeLayers::InteropVersion___STATIC__I4,
        NativeLayers::Conv___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__SZARRAY_U4__SZARRAY_U4__I4__SZARRAY_I4__I4__I4__I4,
        NativeLayers::Stem___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_U4__SZARRAY_U1__SZARRAY_I4__I4__I4__I4,
        NativeLayers::Quantize___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I8__SZARRAY_I4__I4__SZARRAY_U4__I4__I4__I4,
        NativeLayers::Residual___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__I4__SZARRAY_I4__I4__SZARRAY_I4__I4__I4__I4,
        NativeLayers::Residual16___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I2__I4__SZARRAY_I4__I4__SZARRAY_I2__I4__I4__I4,
        NativeLayers::PoolRows___STATIC__VOID__I4__I4__I4__I4__SZARRAY_I4__I4__SZARRAY_I8__I4__I4,
        NativeLayers::PoolFinish___STATIC__VOID__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I8__SZARRAY_I8__SZARRAY_I4,
        NativeLayers::Preprocess___STATIC__VOID__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__SZARRAY_U1,
    };
    for (CLR_RT_MethodHandler h : handlers) Check(Row(h) != nullptr, "every handler has a table row");
}

} // namespace

int main()
{
    TableChecks();
    VersionCheck();
    ConvChecks();
    PoolChecks();
    QuantizeChecks();
    ResidualChecks();
    PreprocessChecks();
    std::printf("glue checks passed: %d, failed: %d\n", passed, failures);
    return failures == 0 ? 0 : 1;
}
