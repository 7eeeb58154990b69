using System.Globalization;
using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AnomalyNcd.Grains.Jobs;

/// <summary>
/// A grain that runs one long job at a time (training, detector fitting) and survives the loss of its silo. The job
/// runs in grain context and sends only its CPU work to the thread pool, so only grain-context code touches state.
/// While a job runs a reminder is registered: after a silo loss the grain re-activates elsewhere, finds its state
/// running without a local job, and starts it again (<see cref="RunJobAsync"/> with <c>resume</c> true). State writes
/// from the job and from calls interleave at awaits, so they go one at a time (<see cref="SaveAsync"/>).
/// </summary>
public abstract class ReminderJobGrain<TState> : Grain, IRemindable
    where TState : IJobRecord
{
    private readonly SemaphoreSlim writes = new(1, 1);
    private Task? job;
    private CancellationTokenSource? jobCancellation;

    protected ReminderJobGrain(IPersistentState<TState> state) => State = state;

    protected IPersistentState<TState> State { get; }

    protected abstract string ReminderName { get; }

    protected abstract TimeSpan ReminderPeriod { get; }

    /// <summary>The current job's id (null before the first), and whether the state says it is running.</summary>
    protected (string? JobId, bool Running) Current => (State.State.JobId, State.State.State == TrainingState.Running);

    /// <summary>The job, in grain context; <paramref name="resume"/> when an earlier activation began it.</summary>
    protected abstract Task RunJobAsync(string jobId, bool resume, CancellationToken cancellationToken);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Current.Running)
        {
            StartJob(resume: true);
        }

        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The state stays running: the reminder starts the job again on the next activation.
        jobCancellation?.Cancel();
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        if (!Current.Running)
        {
            await UnregisterReminderAsync();
        }
        else if (job is null || job.IsCompleted)
        {
            StartJob(resume: true);
        }
    }

    /// <summary>After a new job's running state is set: stores it, registers the reminder and starts the job.</summary>
    protected async Task BeginJobAsync()
    {
        await SaveAsync();
        await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
        StartJob(resume: false);
    }

    /// <summary>A new job's id: when it started (readable in logs and folders) and a few random characters.</summary>
    protected static string NewJobId(DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{now:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}");

    /// <summary>Whether <paramref name="jobId"/> is the job the state says is running (a cancelled or replaced job must not record results).</summary>
    protected bool IsRunning(string jobId) => Current is { Running: true } now && now.JobId == jobId;

    /// <summary>Cancels the job if one is running (nothing to do otherwise: a finished job stays as it ended).</summary>
    protected Task CancelRunningJobAsync(string message) =>
        Current.Running ? EndJobAsync(TrainingState.Cancelled, message) : Task.CompletedTask;

    /// <summary>Ends the running job as failed with the exception's message (a refusal's detail as it is).</summary>
    protected Task FailJobAsync(Exception failure) =>
        EndJobAsync(TrainingState.Failed, failure is RequestRejectedException rejected ? rejected.Detail : failure.Message);

    /// <summary>Ends the job (completed, failed, cancelled): records how and when, stops it, stores that and drops the reminder.</summary>
    protected async Task EndJobAsync(TrainingState outcome, string message)
    {
        var job = State.State;
        job.State = outcome;
        job.FinishedAt = DateTimeOffset.UtcNow;
        job.Message = message;
        job.Log.Add(outcome == TrainingState.Failed ? $"{job.FinishedAt:O} failed: {message}" : $"{job.FinishedAt:O} {message}");
        jobCancellation?.Cancel();
        await SaveAsync();
        await UnregisterReminderAsync();
    }

    protected async Task SaveAsync()
    {
        await writes.WaitAsync();
        try
        {
            await State.WriteStateAsync();
        }
        finally
        {
            writes.Release();
        }
    }

    private void StartJob(bool resume)
    {
        jobCancellation?.Dispose();
        jobCancellation = CancellationTokenSource.CreateLinkedTokenSource(ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        // A long job must outlive idle collection; deactivation (or the silo stopping) cancels it.
        DelayDeactivation(Timeout.InfiniteTimeSpan);
        job = RunThenReleaseAsync(Current.JobId!, resume, jobCancellation.Token);
    }

    private async Task RunThenReleaseAsync(string jobId, bool resume, CancellationToken cancellationToken)
    {
        try
        {
            await RunJobAsync(jobId, resume, cancellationToken);
        }
        finally
        {
            if (Current is { Running: false } now && now.JobId == jobId)
            {
                DelayDeactivation(TimeSpan.Zero); // back to ordinary idle collection once the job is over
            }
        }
    }

    private async Task UnregisterReminderAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
