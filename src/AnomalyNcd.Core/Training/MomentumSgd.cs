using AnomalyNcd.Core.Common;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Training;

/// <summary>
/// SGD with momentum and L2 weight decay per parameter group, the update torch.optim.SGD makes with dampening 0 and
/// without Nesterov: d = g + λ·p; b = d on a parameter's first step, else b = μ·b + d; p = p − lr·b. Parameters
/// without a gradient in a step are left alone. Written here rather than taken from TorchSharp because TorchSharp's
/// SGD passes temporary Scalars to every update (see <see cref="HeldScalars"/>), which a silo that ingests while it
/// trains can free mid-call; <c>MomentumSgdTests</c> checks it against TorchSharp's SGD step by step.
/// </summary>
public sealed class MomentumSgd : IDisposable
{
    private const string Magic = "anomalyncd-momentum-sgd-1";

    private readonly Parameter[] parameters;
    private readonly int[] groupOf;
    private readonly Tensor?[] buffers;

    public MomentumSgd(IReadOnlyList<ParameterGroup> groups, double momentum)
    {
        if (groups.Sum(g => g.Parameters.Count) == 0)
        {
            throw new ArgumentException("no trainable parameters to optimise", nameof(groups));
        }

        Groups = groups;
        Momentum = momentum;
        parameters = [.. groups.SelectMany(g => g.Parameters)];
        groupOf = [.. groups.SelectMany((g, index) => Enumerable.Repeat(index, g.Parameters.Count))];
        buffers = new Tensor?[parameters.Length];
    }

    public IReadOnlyList<ParameterGroup> Groups { get; }

    public double Momentum { get; }

    /// <summary>Drops every gradient (libtorch's zero_grad with set_to_none), so a parameter the next loss does not reach is not updated.</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in parameters)
        {
            using var grad = parameter.grad;
            if (grad is not null)
            {
                parameter.grad = null;
            }
        }
    }

    public void Step()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var momentum = Momentum.ToScalar();
        using var one = 1.ToScalar();
        var decays = Groups.Select(g => g.WeightDecay.ToScalar()).ToArray();
        var steps = Groups.Select(g => (-g.LearningRate).ToScalar()).ToArray();
        try
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                var parameter = parameters[i];
                var grad = parameter.grad;
                if (grad is null)
                {
                    continue;
                }

                var group = groupOf[i];
                var direction = Groups[group].WeightDecay != 0 ? grad.add(parameter, decays[group]) : grad;
                var buffer = buffers[i];
                if (buffer is null)
                {
                    buffers[i] = direction.clone().detach().DetachFromDisposeScope();
                }
                else
                {
                    buffer.mul_(momentum).add_(direction, one);
                }

                parameter.add_(buffers[i]!, steps[group]);
            }
        }
        finally
        {
            foreach (var scalar in decays.Concat(steps))
            {
                scalar.Dispose();
            }
        }
    }

    /// <summary>Writes the momentum buffers (one per parameter, in group order).</summary>
    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(Magic);
        writer.Write(buffers.Length);
        foreach (var buffer in buffers)
        {
            writer.Write(buffer is not null);
            buffer?.cpu().Save(writer);
        }
    }

    /// <summary>Restores the buffers <see cref="Save"/> wrote; <see cref="InvalidInputException"/> when they do not fit these parameters.</summary>
    public void Load(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        try
        {
            if (reader.ReadString() != Magic || reader.ReadInt32() != parameters.Length)
            {
                throw new InvalidInputException(path, $"not the momentum of these {parameters.Length} parameters");
            }

            for (var i = 0; i < parameters.Length; i++)
            {
                buffers[i]?.Dispose();
                buffers[i] = null;
                if (!reader.ReadBoolean())
                {
                    continue;
                }

                var loaded = zeros(parameters[i].shape, dtype: parameters[i].dtype).DetachFromDisposeScope();
                try
                {
                    loaded.Load(reader);
                }
                catch
                {
                    loaded.Dispose();
                    throw;
                }

                if (loaded.device_type != parameters[i].device_type || loaded.device_index != parameters[i].device_index)
                {
                    using var onCpu = loaded;
                    loaded = onCpu.to(parameters[i].device).DetachFromDisposeScope();
                }

                buffers[i] = loaded;
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or ArgumentException or InvalidOperationException or IOException)
        {
            throw new InvalidInputException(path, $"momentum state does not fit the model ({ex.Message})", ex);
        }
    }

    public void Dispose()
    {
        foreach (var buffer in buffers)
        {
            buffer?.Dispose();
        }
    }

    /// <summary>Parameters sharing a learning rate and a weight decay.</summary>
    public sealed class ParameterGroup(IReadOnlyList<Parameter> parameters, double learningRate, double weightDecay)
    {
        public IReadOnlyList<Parameter> Parameters { get; } = parameters;

        public double LearningRate { get; set; } = learningRate;

        public double WeightDecay { get; } = weightDecay;
    }
}
