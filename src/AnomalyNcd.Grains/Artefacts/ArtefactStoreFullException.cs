namespace AnomalyNcd.Grains.Artefacts;

/// <summary>
/// The artefact store refused a write: its configured quota is used up, or the file system reported that the disk is
/// full. Nothing of the refused write remains (its temporary file is removed); the API answers 507.
/// </summary>
public sealed class ArtefactStoreFullException : IOException
{
    public ArtefactStoreFullException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// True for the "no space left" errors: ENOSPC (28) and EDQUOT (122) on Unix, where .NET puts the errno in
    /// <see cref="Exception.HResult"/>, and ERROR_DISK_FULL (0x70) / ERROR_HANDLE_DISK_FULL (0x27) on Windows.
    /// </summary>
    public static bool IsDiskFull(Exception exception)
    {
        if (exception is ArtefactStoreFullException)
        {
            return true;
        }

        if (exception is not IOException)
        {
            return false;
        }

        var code = exception.HResult;
        if (OperatingSystem.IsWindows())
        {
            return (code & 0xFFFF) is 0x70 or 0x27;
        }

        return code is 28 or 122 || (code & 0xFFFF) is 0x70 or 0x27;
    }
}
