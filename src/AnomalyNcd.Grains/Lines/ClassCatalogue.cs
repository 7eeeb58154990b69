using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Contracts.Training;

namespace AnomalyNcd.Grains.Lines;

/// <summary>
/// A line's class catalogue over its state: the classes, the aliases of retired class ids, the ids the line mints,
/// and the operator's decisions (confirm, rename, merge, split, reject). Each decision checks first and changes
/// nothing when it refuses; it returns the <see cref="ClassChange"/> the line audits, stores and announces.
/// </summary>
public sealed class ClassCatalogue(ProductLineState line, string lineId)
{
    public DefectClass[] List() => [.. line.Classes.Values.OrderBy(c => c.Order).Select(c => c.ToContract())];

    public string[] RetiredIds() => [.. line.Aliases.Keys.Order(StringComparer.Ordinal)];

    public bool TryGet(string classId, out CatalogueEntry entry) => line.Classes.TryGetValue(classId, out entry!);

    /// <summary>The class a (possibly retired) class id now counts for.</summary>
    public string Resolve(string classId)
    {
        // Aliases are kept flat (merges re-point older aliases), but guard against a cycle anyway.
        for (var hops = 0; hops < 16 && line.Aliases.TryGetValue(classId, out var next); hops++)
        {
            classId = next;
        }

        return classId;
    }

    public CatalogueEntry Add(string classId, ClassStatus status, DateTimeOffset now)
    {
        var entry = new CatalogueEntry { ClassId = classId, Status = status, UpdatedAt = now, Order = line.Classes.Count == 0 ? 0 : line.Classes.Values.Max(c => c.Order) + 1 };
        line.Classes[classId] = entry;
        return entry;
    }

    public ClassChange Confirm(string classId, string name, DateTimeOffset now)
    {
        var entry = Existing(classId);
        name = CheckName(name, entry.ClassId);
        return Change("confirm", [entry], () =>
        {
            entry.Status = ClassStatus.Confirmed;
            entry.Name = name;
            entry.UpdatedAt = now;
            return ([entry], []);
        });
    }

    public ClassChange Rename(string classId, string name, DateTimeOffset now)
    {
        var entry = Existing(classId);
        name = CheckName(name, entry.ClassId);
        return Change("rename", [entry], () =>
        {
            entry.Name = name;
            entry.UpdatedAt = now;
            return ([entry], []);
        });
    }

    public ClassChange Reject(string classId, DateTimeOffset now)
    {
        var entry = Existing(classId);
        return Change("reject", [entry], () =>
        {
            entry.Status = ClassStatus.Rejected;
            entry.UpdatedAt = now;
            return ([entry], []);
        });
    }

    /// <summary>Moves every region of the source to the target; the source id becomes an alias of the target.</summary>
    public ClassChange Merge(string sourceClassId, string targetClassId, ImageLedger ledger, DateTimeOffset now)
    {
        var source = Existing(sourceClassId);
        var target = Existing(targetClassId);
        if (source.ClassId == target.ClassId)
        {
            throw RequestRejectedException.Invalid($"class {sourceClassId} cannot be merged into itself");
        }

        return Change("merge", [source, target], () =>
        {
            var moved = ledger.RegionsOf(source.ClassId);
            ledger.Reassign((_, region) => region.ClassId == source.ClassId, target.ClassId, now);
            line.Classes.Remove(source.ClassId);
            line.Aliases[source.ClassId] = target.ClassId;
            foreach (var alias in line.Aliases.Where(a => a.Value == source.ClassId).Select(a => a.Key).ToList())
            {
                line.Aliases[alias] = target.ClassId;
            }

            target.UpdatedAt = now;
            return ([target], [.. moved]);
        });
    }

    /// <summary>Moves the given regions of a class to a new class (confirmed when named, else proposed).</summary>
    public ClassChange Split(string classId, RegionKey[]? regions, string? newName, ImageLedger ledger, DateTimeOffset now)
    {
        var source = Existing(classId);
        if (regions is null || regions.Length == 0)
        {
            throw RequestRejectedException.Invalid($"split of class {classId} names no regions");
        }

        var moving = new HashSet<(string ImageId, int Index)>();
        foreach (var key in regions)
        {
            if (key.LineId != lineId || !ledger.IsRegionOf(key, source.ClassId))
            {
                throw RequestRejectedException.Invalid($"region {key} is not a region of class {classId} on line {lineId}");
            }

            moving.Add((key.ImageId, key.Index));
        }

        var name = newName is null ? null : CheckName(newName, null);
        return Change("split", [source], () =>
        {
            var created = Add(MintClassId("split"), name is null ? ClassStatus.Proposed : ClassStatus.Confirmed, now);
            created.Name = name;
            ledger.Reassign((imageId, region) => moving.Contains((imageId, region.Index)), created.ClassId, now);
            source.UpdatedAt = now;
            return ([source, created], regions);
        }, result: 1);
    }

    /// <summary>
    /// A training run's classes join the catalogue: one that matches a confirmed class (by id or name) becomes its
    /// alias, the others are proposed; earlier proposals the run no longer has, and that count no region, go.
    /// </summary>
    public void AdoptModelClasses(ModelVersion model, DateTimeOffset now)
    {
        var modelClassIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var modelClass in model.Classes)
        {
            var confirmed = ConfirmedClassFor(modelClass);
            if (confirmed is not null)
            {
                if (confirmed.ClassId != modelClass.ClassId)
                {
                    line.Aliases[modelClass.ClassId] = confirmed.ClassId;
                }

                modelClassIds.Add(confirmed.ClassId);
                continue;
            }

            var id = Resolve(modelClass.ClassId);
            modelClassIds.Add(id);
            if (!line.Classes.ContainsKey(id))
            {
                var entry = Add(id, ClassStatus.Proposed, now);
                if (modelClass.Name is { } name && IsNameFree(name, id))
                {
                    entry.Name = name;
                }
            }
        }

        foreach (var stale in line.Classes.Values.Where(c => c.Status == ClassStatus.Proposed && c.RegionCount == 0 && !modelClassIds.Contains(c.ClassId)).ToList())
        {
            line.Classes.Remove(stale.ClassId);
        }
    }

    /// <summary>The decision skeleton's catalogue half: audit before, mutate, audit after.</summary>
    /// <param name="result">Which of the entries after the change the decision answers with.</param>
    private static ClassChange Change(string action, CatalogueEntry[] before, Func<(CatalogueEntry[] After, RegionKey[] Moved)> mutate, int result = 0)
    {
        var audit = DecisionLog.Audit(before);
        var (after, moved) = mutate();
        return new ClassChange(action, audit, DecisionLog.Audit(after), after[result].ToContract(), moved);
    }

    private CatalogueEntry Existing(string classId) =>
        line.Classes.TryGetValue(classId, out var entry)
            ? entry
            : throw RequestRejectedException.NotFound($"line {lineId} has no class {classId}");

    private string MintClassId(string prefix)
    {
        string id;
        do
        {
            id = $"{prefix}-{++line.NextClassNumber}";
        }
        while (line.Classes.ContainsKey(id) || line.Aliases.ContainsKey(id));

        return id;
    }

    private CatalogueEntry? ConfirmedClassFor(ModelClass modelClass)
    {
        if (line.Classes.TryGetValue(Resolve(modelClass.ClassId), out var byId) && byId.Status == ClassStatus.Confirmed)
        {
            return byId;
        }

        return modelClass.Name is { } name
            ? line.Classes.Values.FirstOrDefault(c => c.Status == ClassStatus.Confirmed && string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
            : null;
    }

    private bool IsNameFree(string name, string? ownClassId) =>
        !line.Classes.Values.Any(c => c.ClassId != ownClassId && string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The contract's name rule, then uniqueness per line (ignoring case), so operators never see two "scratch" classes.</summary>
    private string CheckName(string? name, string? ownClassId)
    {
        if (DefectClass.NameProblem(name) is { } problem)
        {
            throw RequestRejectedException.Invalid(problem);
        }

        var trimmed = name!.Trim();
        if (!IsNameFree(trimmed, ownClassId))
        {
            throw RequestRejectedException.Conflict($"line {lineId} already has a class named '{trimmed}'");
        }

        return trimmed;
    }
}

/// <summary>A decision applied to the catalogue: what to audit, the class to answer with, and the regions whose grains must hear of it.</summary>
public sealed record ClassChange(string Action, string Before, string After, DefectClass Result, RegionKey[] Moved);
