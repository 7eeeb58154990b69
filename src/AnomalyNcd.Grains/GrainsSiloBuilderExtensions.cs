using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Grains.Detection;
using AnomalyNcd.Grains.Inference;
using AnomalyNcd.Grains.Processing;
using AnomalyNcd.Grains.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AnomalyNcd.Grains;

public static class GrainsSiloBuilderExtensions
{
    /// <summary>Name of the grain storage provider every grain of this project writes its state to.</summary>
    public const string StateStorage = "state";

    /// <summary>
    /// Registers what the grains need: the options (training and inference write under the data folder too), the file artefact store under
    /// <c>DataFolder/artefacts</c> and the image processor. Grain storage "state" is the host's choice.
    /// </summary>
    public static ISiloBuilder AddAnomalyNcdGrains(this ISiloBuilder builder, GrainsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.DataFolder))
        {
            throw new ArgumentException("GrainsOptions.DataFolder must name a folder", nameof(options));
        }

        builder.Services.TryAddSingleton(options);
        builder.Services.TryAddSingleton<IArtefactStore>(services => new FileArtefactStore(services.GetRequiredService<GrainsOptions>().ArtefactFolder, services.GetRequiredService<GrainsOptions>().ArtefactQuotaBytes));
        builder.Services.TryAddSingleton(ImageProcessingOptions.Default);
        builder.Services.TryAddSingleton<DecodedUploads>();
        builder.Services.TryAddSingleton<ImageProcessor>();
        // Training checkpoints and unpacked models live beside the artefacts (a shared volume in a cluster).
        builder.Services.AddOptions<TrainingGrainOptions>().Configure(o => o.DataFolder = options.DataFolder);
        builder.Services.AddOptions<InferenceGrainOptions>().Configure(o => o.DataFolder = options.DataFolder);
        builder.Services.AddOptions<DetectorGrainOptions>().Configure(o => o.DataFolder = options.DataFolder);
        return builder;
    }
}
