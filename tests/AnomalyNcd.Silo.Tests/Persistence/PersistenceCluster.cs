using AnomalyNcd.Silo.Persistence;
using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace AnomalyNcd.Silo.Tests.Persistence;

/// <summary>
/// In-process silos that use our persistence wiring (ADO.NET clustering, state, reminders) on one
/// database. TestCluster rather than InProcessTestCluster: only TestCluster lets a test switch off
/// the in-memory membership table, which would otherwise replace the ADO.NET one.
/// </summary>
internal static class PersistenceCluster
{
    private const string KindKey = "AnomalyNcdTests:DatabaseKind";
    private const string ConnectionStringKey = "AnomalyNcdTests:ConnectionString";
    private const string StateFormatKey = "AnomalyNcdTests:StateFormat";

    public static async Task<TestCluster> StartAsync(DatabaseTarget target, short silos = 1, string? serviceId = null, StateFormat stateFormat = StateFormat.Binary)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.UseTestClusterMembership = false;
        if (serviceId is not null)
        {
            builder.Options.ServiceId = serviceId;
        }

        builder.Properties[KindKey] = target.Kind.ToString();
        builder.Properties[ConnectionStringKey] = target.ConnectionString;
        builder.Properties[StateFormatKey] = stateFormat.ToString();
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    private static DatabaseTarget TargetFrom(IConfiguration configuration) => new(
        Enum.Parse<DatabaseKind>(configuration[KindKey] ?? throw new InvalidOperationException($"{KindKey} not configured")),
        configuration[ConnectionStringKey] ?? throw new InvalidOperationException($"{ConnectionStringKey} not configured"));

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.UseAnomalyNcdPersistence(
                TargetFrom(siloBuilder.Configuration),
                clustering: true,
                Enum.Parse<StateFormat>(siloBuilder.Configuration[StateFormatKey] ?? throw new InvalidOperationException($"{StateFormatKey} not configured")));
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            var target = TargetFrom(configuration);
            clientBuilder.UseAdoNetClustering(options =>
            {
                options.Invariant = target.Invariant;
                options.ConnectionString = target.ConnectionString;
            });
        }
    }
}
