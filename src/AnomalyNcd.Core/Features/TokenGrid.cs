namespace AnomalyNcd.Core.Features;

/// <summary>
/// A grid of feature tokens for one crop, stored token-major: token (row, col) has index row·Columns + col and
/// its values are <c>Values[index·Dimension .. (index+1)·Dimension)</c> — a [Rows·Columns, Dimension] matrix.
/// </summary>
public sealed class TokenGrid
{
    public TokenGrid(int rows, int columns, int dimension, float[] values)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != (long)rows * columns * dimension)
        {
            throw new ArgumentException($"A {rows}×{columns} grid of {dimension}-d tokens needs {rows * columns * dimension} values, got {values.Length}.", nameof(values));
        }

        Rows = rows;
        Columns = columns;
        Dimension = dimension;
        Values = values;
    }

    public int Rows { get; }

    public int Columns { get; }

    public int Dimension { get; }

    public int Count => Rows * Columns;

    /// <summary>Token-major values, [Rows·Columns, Dimension].</summary>
    public float[] Values { get; }

    public ReadOnlySpan<float> Token(int row, int column) => Token(row * Columns + column);

    public ReadOnlySpan<float> Token(int index) => Values.AsSpan(index * Dimension, Dimension);
}
