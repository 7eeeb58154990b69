using AnomalyNcd.Silo.Security;

namespace AnomalyNcd.Silo.Tests.Support;

/// <summary>One fresh API key per role for the test hosts; the hosts are configured with their grants (hashes only).</summary>
public static class TestApiKeys
{
    public static string Viewer { get; } = ApiKeyGrant.NewKey();

    public static string Ingest { get; } = ApiKeyGrant.NewKey();

    public static string Operator { get; } = ApiKeyGrant.NewKey();

    public static string Admin { get; } = ApiKeyGrant.NewKey();

    public static IReadOnlyList<ApiKeyGrant> Grants { get; } =
    [
        ApiKeyGrant.ForKey("test-viewer", ApiRoles.Viewer, Viewer),
        ApiKeyGrant.ForKey("test-ingest", ApiRoles.Ingest, Ingest),
        ApiKeyGrant.ForKey("test-operator", ApiRoles.Operator, Operator),
        ApiKeyGrant.ForKey("test-admin", ApiRoles.Admin, Admin),
    ];

    /// <summary>The grants in the <c>ANOMALYNCD_API_KEYS</c> form, for <c>serve</c> child processes.</summary>
    public static string Variable => string.Join(",", Grants);

    /// <summary>Sends <paramref name="key"/> on every request of <paramref name="client"/>; returns the client.</summary>
    public static HttpClient Authorize(HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Remove(ApiKeyAuthenticationHandler.HeaderName);
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        return client;
    }
}
