using AnomalyNcd.Core.Training;

namespace AnomalyNcd.Core.Tests.Training;

public class FeatureBankTests
{
    private const int Tokens = 6;
    private const int Channels = 3;

    private static float[] Values(int seed) => [.. Enumerable.Range(0, Tokens * Channels).Select(i => (float)((i * 7 + seed) % 11) - 5f)];

    [Fact]
    public void VisibleOnly_BatchGivesVisibleTokensBackAndZerosForHiddenOnes()
    {
        var bank = new FeatureBank(1, 2, Tokens, Channels, visibleOnly: true);
        var values = Values(1);
        bool[] visible = [false, true, false, false, true, false];
        bank.Set(0, 0, values, visible);

        var (tokens, flags) = bank.Batch([0], [0]);
        var read = tokens.data<float>().ToArray();

        for (var t = 0; t < Tokens; t++)
        {
            for (var c = 0; c < Channels; c++)
            {
                var expected = visible[t] ? values[(t * Channels) + c] : 0f;
                Assert.Equal(expected, read[(t * Channels) + c]);
            }
        }

        Assert.Equal(visible, flags.data<bool>().ToArray());
    }

    [Fact]
    public void VisibleOnly_ViewWithNoVisibleToken_KeepsEveryToken()
    {
        var bank = new FeatureBank(1, 2, Tokens, Channels, visibleOnly: true);
        var values = Values(2);
        bank.Set(0, 1, values, new bool[Tokens]);

        var (tokens, _) = bank.Batch([0], [1]);

        Assert.Equal(values, tokens.data<float>().ToArray());
    }

    [Fact]
    public void Dense_KeepsHiddenTokens()
    {
        var bank = new FeatureBank(2, 2, Tokens, Channels);
        var values = Values(3);
        bank.Set(1, 2, values, [true, false, false, false, false, false]);

        var (tokens, _) = bank.Batch([1], [2]);

        Assert.Equal(values, tokens.data<float>().ToArray());
    }

    [Fact]
    public void Batch_ViewNeverStored_Throws()
    {
        var bank = new FeatureBank(2, 2, Tokens, Channels, visibleOnly: true);

        Assert.Throws<InvalidOperationException>(() => bank.Batch([1], [0]));
    }
}
