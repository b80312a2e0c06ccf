using OneBit.Conversion.FloatModel;
using OneBit.Conversion.Mat;

namespace OneBit.Conversion.Importers;

/// <summary>Imports either family of the published McDonnell (ICLR 2018) models, recognised by their variables.</summary>
public static class PublishedModelImporter
{
    public static FloatNetwork Import(string path)
    {
        var file = MatFile.Read(path);
        string name = Path.GetFileNameWithoutExtension(path);
        return Import(file, name, Path.GetFileName(path));
    }

    public static FloatNetwork Import(MatFile file, string name, string fileName = "")
    {
        if (MatConvNetWrnImporter.LooksLike(file))
            return MatConvNetWrnImporter.Import(file, name, $"{fileName} (MATLAB/MatConvNet)".Trim());
        if (KerasAllParamsImporter.LooksLike(file))
            return KerasAllParamsImporter.Import(file, name, $"{fileName} (Keras via scipy.io.savemat)".Trim());
        throw new ModelImportException($"{name}: neither a Keras allparams file (conv2d*/batch_normalization* variables) nor a MATLAB WRN file (BinaryWeights, Moments, LayerTypes); variables: {string.Join(", ", file.Variables.Select(v => v.Name))}");
    }
}
