namespace AnomalyNcd.Core.Datasets.Importers;

/// <summary>
/// Turns a dataset in its own layout into manifest rows. Importers only read the dataset (and may
/// write derived masks to a folder they were given); the caller saves the manifest once all went well.
/// </summary>
public interface IDatasetImporter
{
    /// <summary>Short name of the layout, as used on the command line (mtd, mvtec, folders, voc).</summary>
    string Name { get; }

    ImportResult Import(ImportContext context);
}
