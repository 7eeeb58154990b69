using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class ClassNameValidatorTests
{
    private static readonly DefectClass[] Line =
    [
        Classes.Of("0", ClassStatus.Confirmed, 10, "Scratch"),
        Classes.Of("1", ClassStatus.Proposed, 4),
    ];

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_RefusesAnEmptyName(string? name)
    {
        Assert.Equal("A class name is required.", ClassNameValidator.Validate(name, "1", Line));
    }

    [Fact]
    public void Validate_RefusesTheNameOfAnotherClass_IgnoringCaseAndSpaces()
    {
        var error = ClassNameValidator.Validate("  scratch ", "1", Line);

        Assert.Equal("'scratch' is already the name of class 0 on this line.", error);
    }

    [Fact]
    public void Validate_AcceptsAClassKeepingItsOwnName()
    {
        Assert.Null(ClassNameValidator.Validate("Scratch", "0", Line));
    }

    [Fact]
    public void Validate_RefusesANameLongerThanTheLimit()
    {
        var error = ClassNameValidator.Validate(new string('x', ClassNameValidator.MaxLength + 1), "1", Line);

        Assert.NotNull(error);
        Assert.Contains("at most 64", error);
    }

    [Fact]
    public void Validate_AcceptsANewName()
    {
        Assert.Null(ClassNameValidator.Validate("Dent", "1", Line));
    }
}
