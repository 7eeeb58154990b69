using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AnomalyNcd.Dashboard.Tests.Components;

/// <summary>A bunit context with MudBlazor's services, loose JS interop and a fake decision service.</summary>
public abstract class DashboardTestContext : BunitContext, IAsyncLifetime
{
    internal FakeClassDecisions Decisions { get; } = new();

    internal FakeLineChanges Changes { get; } = new();

    internal FakeLineAlarms Alarms { get; } = new();

    internal FakeLineTrends Trends { get; } = new();

    internal FakeLineDetectors Detectors { get; } = new();

    protected DashboardTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(new DashboardOptions());
        Services.AddSingleton<IClassDecisions>(Decisions);
        Services.AddSingleton<ILineChanges>(Changes);
        Services.AddSingleton<ILineAlarms>(Alarms);
        Services.AddSingleton<ILineTrends>(Trends);
        Services.AddSingleton<ILineDetectors>(Detectors);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(new ClassGrowth());
        Services.AddSingleton<IArtefactReader>(new NoArtefactReader());
        Services.AddSingleton<IImageQuery>(sp => new FakeImageQuery(sp.GetRequiredService<IDashboardData>()));
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only asynchronously disposable, and xunit 2 would otherwise call the synchronous Dispose.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
