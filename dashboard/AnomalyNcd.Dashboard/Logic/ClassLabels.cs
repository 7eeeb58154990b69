using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Dashboard.Logic;

/// <summary>How a class is shown: its confirmed name, else its proposed id.</summary>
public static class ClassLabels
{
    public static string Of(DefectClass defectClass) =>
        string.IsNullOrWhiteSpace(defectClass.Name) ? $"proposed {defectClass.ClassId}" : defectClass.Name;

    public static string Of(string? classId, IEnumerable<DefectClass> lineClasses)
    {
        if (classId is null)
        {
            return "unassigned";
        }

        var found = lineClasses.FirstOrDefault(c => c.ClassId == classId);
        return found is null ? classId : Of(found);
    }
}
