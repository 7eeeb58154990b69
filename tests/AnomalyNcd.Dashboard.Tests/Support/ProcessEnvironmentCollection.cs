namespace AnomalyNcd.Dashboard.Tests.Support;

/// <summary>
/// Test classes that configure hosts through process environment variables (Dashboard__Users__…): one collection, so
/// they never run at the same time and read each other's half-written users.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "process-environment";
}
