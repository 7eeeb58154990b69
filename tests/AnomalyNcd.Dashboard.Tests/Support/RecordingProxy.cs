using System.Reflection;

namespace AnomalyNcd.Dashboard.Tests.Support;

/// <summary>A stand-in for an interface that records every call and fails it, to prove a call never happened.</summary>
public class RecordingProxy<T> : DispatchProxy
    where T : class
{
    public List<string> Calls { get; } = [];

    public static (T Instance, RecordingProxy<T> Recorder) Create()
    {
        var instance = Create<T, RecordingProxy<T>>();
        return (instance, (RecordingProxy<T>)(object)instance);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        Calls.Add(targetMethod?.Name ?? "?");
        throw new InvalidOperationException($"{typeof(T).Name}.{targetMethod?.Name} was not expected to be called");
    }
}
