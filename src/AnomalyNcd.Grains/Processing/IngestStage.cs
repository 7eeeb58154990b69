namespace AnomalyNcd.Grains.Processing;

/// <summary>The measured steps of the ingest path, by area; <see cref="IngestMetrics.StageName"/> gives the tag (<c>api.validate</c>).</summary>
public enum IngestStage
{
    // API (the upload endpoints and the ingest use case)
    ApiLineExists,
    ApiReadForm,
    ApiValidate,
    ApiExistingCheck,
    ApiStoreUpload,
    ApiGrainSubmit,
    ApiLineRecordBatch,

    // image grain
    GrainLineRecord,
    GrainLineSummary,
    GrainProcess,
    GrainStateWrites,

    // image processor
    ProcStoreDerived,
    ProcDecode,
    ProcMebin,
    ProcCropEncode,

    // line grain (its group commit)
    LineStateWrite,
}
