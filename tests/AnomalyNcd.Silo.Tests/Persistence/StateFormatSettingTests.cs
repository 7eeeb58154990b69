using AnomalyNcd.Silo.Persistence;

namespace AnomalyNcd.Silo.Tests.Persistence;

public sealed class StateFormatSettingTests
{
    [Theory]
    [InlineData("binary", StateFormat.Binary)]
    [InlineData(" JSON ", StateFormat.Json)]
    [InlineData(null, null)]
    [InlineData("", null)]
    public void Parse_AcceptsTheTwoFormatsAndUnset(string? value, StateFormat? expected) =>
        Assert.Equal(expected, StateFormatSetting.Parse(value));

    [Fact]
    public void Parse_RefusesAnotherFormatNamingTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => StateFormatSetting.Parse("xml"));

        Assert.Equal("Persistence:StateFormat: 'xml' is not a state format; use binary or json", error.Message);
    }
}
