using System.Reflection;
using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Dashboard.Data;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Data;

public sealed class GrainQualityDataTests
{
    [Fact]
    public async Task GetMoveSources_ReadsTheWholeLogPageByPage()
    {
        // More entries than one page holds; the move to find is on the second page.
        var log = Enumerable.Range(0, PageLimits.MaxTake + 3)
            .Select(i => new ClassDecision("press-7", "merge", "otto", Classes.At.AddMinutes(i), $$"""[{"ClassId":"src{{i}}"},{"ClassId":"dst"}]""", "[]"))
            .ToArray();
        var line = LogLine.Create(log);
        var grains = GrainsOf.Create(line);

        var sources = await new GrainQualityData(grains).GetMoveSourcesAsync("press-7");

        Assert.Equal(log.Length, sources.Count);
        Assert.Equal($"src{PageLimits.MaxTake + 1}", sources.SourceOf(new OperatorDecision("merge", "dst", "otto", Classes.At.AddMinutes(PageLimits.MaxTake + 1))));
        Assert.Equal([(0, PageLimits.MaxTake), (PageLimits.MaxTake, PageLimits.MaxTake)], ((LogLine)(object)line).Pages);
        Assert.Equal("press-7", ((GrainsOf)(object)grains).AskedFor);
    }

    /// <summary>A line grain that answers only GetDecisionsAsync, from a given log, and records the pages asked for.</summary>
    public class LogLine : DispatchProxy
    {
        private ClassDecision[] log = [];

        public List<(int Skip, int Take)> Pages { get; } = [];

        public static IProductLineGrain Create(ClassDecision[] log)
        {
            var line = Create<IProductLineGrain, LogLine>();
            ((LogLine)(object)line).log = log;
            return line;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name != nameof(IProductLineGrain.GetDecisionsAsync))
            {
                throw new InvalidOperationException($"{targetMethod?.Name} was not expected");
            }

            var (skip, take) = ((int)args![0]!, (int)args[1]!);
            Pages.Add((skip, take));
            return Task.FromResult(log.Skip(skip).Take(take).ToArray());
        }
    }

    /// <summary>A grain factory that hands out one line grain and records the key asked for.</summary>
    public class GrainsOf : DispatchProxy
    {
        private IProductLineGrain? line;

        public string? AskedFor { get; private set; }

        public static IGrainFactory Create(IProductLineGrain line)
        {
            var grains = Create<IGrainFactory, GrainsOf>();
            ((GrainsOf)(object)grains).line = line;
            return grains;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod is not { Name: nameof(IGrainFactory.GetGrain), IsGenericMethod: true } || targetMethod.GetGenericArguments()[0] != typeof(IProductLineGrain) || args?[0] is not string key)
            {
                throw new InvalidOperationException($"{targetMethod?.Name} was not expected");
            }

            AskedFor = key;
            return line;
        }
    }
}
