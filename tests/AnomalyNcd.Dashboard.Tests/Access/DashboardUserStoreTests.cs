using AnomalyNcd.Dashboard.Access;
using AnomalyNcd.Dashboard.Logic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AnomalyNcd.Dashboard.Tests.Access;

public sealed class DashboardUserStoreTests
{
    [Fact]
    public void Authenticate_AcceptsTheConfiguredPasswordOnly_AndCarriesTheRole()
    {
        var store = StoreWith(new DashboardUser { Name = "otto", Role = DashboardRoles.Operator, PasswordHash = DashboardUserStore.Hash("s3cret") });

        var signedIn = store.Authenticate("OTTO", "s3cret");

        Assert.NotNull(signedIn);
        Assert.Equal("otto", signedIn.Identity?.Name);
        Assert.True(signedIn.IsInRole(DashboardRoles.Operator));
        Assert.True(DashboardRoles.CanDecide(signedIn));
        Assert.Null(store.Authenticate("otto", "S3cret"));
        Assert.Null(store.Authenticate("nobody", "s3cret"));
        Assert.Null(store.Authenticate("otto", ""));
        Assert.Null(store.FirstRunPassword);
    }

    [Fact]
    public void Constructor_WithoutUsers_CreatesAFirstRunAdminWithARandomPassword()
    {
        var store = StoreWith();

        Assert.NotNull(store.FirstRunPassword);
        Assert.Equal(20, store.FirstRunPassword.Length);
        var admin = store.Authenticate(DashboardUserStore.FirstRunAdmin, store.FirstRunPassword);
        Assert.NotNull(admin);
        Assert.True(admin.IsInRole(DashboardRoles.Admin));
        Assert.NotEqual(store.FirstRunPassword, StoreWith().FirstRunPassword);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Constructor_WithoutUsers_WritesThePasswordToAnOwnerOnlyFileAndNeverToTheLog()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"anomalyncd-firstrun-{Guid.NewGuid():N}");
        var file = Path.Combine(folder, "first-run-admin.txt");
        var log = new CapturingLogger();
        try
        {
            var store = new DashboardUserStore(Options.Create(new DashboardAccessOptions { FirstRunPasswordFile = file }), log);

            Assert.Equal(store.FirstRunPassword, File.ReadAllText(file).Trim());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            var message = Assert.Single(log.Messages);
            Assert.Contains(file, message);
            Assert.DoesNotContain(store.FirstRunPassword!, message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Constructor_ManyStoresOnOneFileAtOnce_NoneFailsAndTheFileHoldsOneOfTheirPasswords()
    {
        // Silos started together on one data folder: a delete-then-create race crashed the second one.
        var folder = Path.Combine(Path.GetTempPath(), $"anomalyncd-firstrun-{Guid.NewGuid():N}");
        var file = Path.Combine(folder, "first-run-admin.txt");
        try
        {
            for (var round = 0; round < 5; round++)
            {
                var stores = new DashboardUserStore[16];
                using var start = new Barrier(stores.Length);
                var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
                var threads = Enumerable.Range(0, stores.Length).Select(i => new Thread(() =>
                {
                    var options = Options.Create(new DashboardAccessOptions { FirstRunPasswordFile = file });
                    start.SignalAndWait();
                    try
                    {
                        stores[i] = new DashboardUserStore(options, NullLogger<DashboardUserStore>.Instance);
                    }
                    catch (Exception ex)
                    {
                        errors.Add(ex);
                    }
                })).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());

                Assert.Empty(errors);

                Assert.Contains(File.ReadAllText(file).Trim(), stores.Select(s => s.FirstRunPassword));
                Assert.Equal([file], Directory.GetFiles(folder));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Constructor_RefusesAnUnknownRole_NamingTheEntry()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            StoreWith(new DashboardUser { Name = "root", Role = "superuser", PasswordHash = DashboardUserStore.Hash("x") }));

        Assert.Equal("Dashboard:Users:0: role 'superuser' of root is not one of viewer, operator, admin", error.Message);
    }

    private sealed class CapturingLogger : ILogger<DashboardUserStore>
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }

    private static DashboardUserStore StoreWith(params DashboardUser[] users) =>
        new(Options.Create(new DashboardAccessOptions { Users = [.. users] }), NullLogger<DashboardUserStore>.Instance);
}
