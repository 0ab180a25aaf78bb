namespace Basalt.Identity.OAuth;

/// <summary>Why the user-code page did not go on to the IdP: a message for the person and the page's status.</summary>
public sealed record UserCodeRefusal(string Message, int Status)
{
    public static UserCodeRefusal Unknown { get; } = new("That code is not valid, was already used, or has expired. Check the code shown on your device.", 400);

    /// <summary>RFC 8628 §5.1: too many wrong codes; nothing is looked up until the window ends.</summary>
    public static UserCodeRefusal TooManyAttempts(TimeSpan retryAfter)
        => new($"Too many wrong codes were entered. Try again in {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalMinutes))} minutes.", 429);
}
