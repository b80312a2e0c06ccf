namespace OneBit.Emulator.Onnx;

/// <summary>
/// Builds an ONNX ModelProto (opset 13, float32, NCHW) node by node. Field numbers are those of onnx.proto3
/// (ModelProto: ir_version 1, opset_import 8, graph 7; GraphProto: node 1, initializer 5, input 11, output 12;
/// NodeProto: input 1, output 2, op_type 4, attribute 5; TensorProto: dims 1, data_type 2, name 8, raw_data 9).
/// </summary>
public sealed class OnnxGraph
{
    private readonly ProtoWriter _graph = new();
    private int _next;

    public string Fresh(string prefix) => $"{prefix}_{_next++}";

    public string Initializer(string name, long[] dims, float[] data)
    {
        var t = new ProtoWriter();
        foreach (long d in dims) t.Int(1, d);
        t.Int(2, 1);                     // FLOAT
        t.String(8, name);
        var raw = new byte[data.Length * 4];
        Buffer.BlockCopy(data, 0, raw, 0, raw.Length);
        t.Bytes(9, raw);
        _graph.Message(5, t);
        return name;
    }

    public string Int64Initializer(string name, long[] data)
    {
        var t = new ProtoWriter();
        t.Int(1, data.Length);
        t.Int(2, 7);                     // INT64
        t.String(8, name);
        var raw = new byte[data.Length * 8];
        Buffer.BlockCopy(data, 0, raw, 0, raw.Length);
        t.Bytes(9, raw);
        _graph.Message(5, t);
        return name;
    }

    public string Scalar(float v) => Initializer(Fresh("c"), Array.Empty<long>(), new[] { v });

    public string Node(string op, string[] inputs, params (string name, object value)[] attributes)
    {
        string output = Fresh(op.ToLowerInvariant());
        var n = new ProtoWriter();
        foreach (string i in inputs) n.String(1, i);
        n.String(2, output);
        n.String(3, output);
        n.String(4, op);
        foreach (var (name, value) in attributes)
        {
            var a = new ProtoWriter().String(1, name);
            switch (value)
            {
                case long[] ints: foreach (long v in ints) a.Int(8, v); a.Int(20, 7); break;   // INTS
                case long i: a.Int(3, i); a.Int(20, 2); break;                               // INT
                case float f: a.Float(2, f); a.Int(20, 1); break;                            // FLOAT
                case string s: a.String(4, s); a.Int(20, 3); break;                          // STRING
                default: throw new ArgumentException($"attribute {name}: unsupported type");
            }
            n.Message(5, a);
        }
        _graph.Message(1, n);
        return output;
    }

    public void Input(string name, long[] shape) => _graph.Message(11, ValueInfo(name, shape));

    public void Output(string name, long[] shape) => _graph.Message(12, ValueInfo(name, shape));

    private static ProtoWriter ValueInfo(string name, long[] shape)
    {
        var dims = new ProtoWriter();
        foreach (long d in shape) dims.Message(1, new ProtoWriter().Int(1, d));
        var tensor = new ProtoWriter().Int(1, 1).Message(2, dims);
        return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensor));
    }

    public byte[] ToModel(string name)
    {
        _graph.String(2, name);
        return new ProtoWriter()
            .Int(1, 8)                                                        // IR version 8
            .String(2, "onebit")
            .Message(7, _graph)
            .Message(8, new ProtoWriter().String(1, "").Int(2, 13))           // default domain, opset 13
            .ToArray();
    }
}
