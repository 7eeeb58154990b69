namespace AnomalyNcd.Dashboard;

/// <summary>Settings of the dashboard; the defaults fit a dashboard co-hosted with the HTTP API.</summary>
public sealed class DashboardOptions
{
    /// <summary>Where images and crops are fetched from (the API's artefact endpoint); a separate client points it at a silo's API.</summary>
    public string ArtefactBaseUrl { get; set; } = "/api/artefacts/";

    /// <summary>Items per page in galleries and tables.</summary>
    public int PageSize { get; set; } = 24;

    public string ArtefactUrl(string sha256) => ArtefactBaseUrl.TrimEnd('/') + "/" + sha256;
}
