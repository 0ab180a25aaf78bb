using System.Text;

namespace Basalt.Credentials.Profiles;

/// <summary>
/// Splits a command line into words the way the AWS CLI does before running <c>credential_process</c> without a
/// shell (botocore <c>compat_shell_split</c>): POSIX <c>shlex.split</c> rules on macOS/Linux, and the Windows C
/// runtime's argv rules on Windows. Also used for section names such as <c>[profile "a b"]</c>.
/// </summary>
internal static class ShellWords
{
    public static bool TrySplit(string command, out List<string> words)
        => OperatingSystem.IsWindows() ? TrySplitWindows(command, out words) : TrySplitPosix(command, out words);

    /// <summary>Python <c>shlex.split(s, posix=True)</c> with its default <c>#</c>-comment handling off.</summary>
    public static bool TrySplitPosix(string command, out List<string> words)
    {
        words = [];
        var current = new StringBuilder();
        var inWord = false;
        var i = 0;
        while (i < command.Length)
        {
            var c = command[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }

                i++;
            }
            else if (c == '\'')
            {
                var end = command.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    return false;
                }

                current.Append(command, i + 1, end - i - 1);
                inWord = true;
                i = end + 1;
            }
            else if (c == '"')
            {
                i++;
                var closed = false;
                while (i < command.Length)
                {
                    var d = command[i];
                    if (d == '"')
                    {
                        closed = true;
                        i++;
                        break;
                    }

                    // Inside double quotes a backslash only escapes " and \ (shlex escapedquotes/escape).
                    if (d == '\\' && i + 1 < command.Length && command[i + 1] is '"' or '\\')
                    {
                        current.Append(command[i + 1]);
                        i += 2;
                        continue;
                    }

                    current.Append(d);
                    i++;
                }

                if (!closed)
                {
                    return false;
                }

                inWord = true;
            }
            else if (c == '\\')
            {
                if (i + 1 >= command.Length)
                {
                    return false;
                }

                current.Append(command[i + 1]);
                inWord = true;
                i += 2;
            }
            else
            {
                current.Append(c);
                inWord = true;
                i++;
            }
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return true;
    }

    /// <summary>The MSVC argv rules (CommandLineToArgvW): quotes group, 2n backslashes before a quote become n.</summary>
    public static bool TrySplitWindows(string command, out List<string> words)
    {
        words = [];
        var current = new StringBuilder();
        var inQuotes = false;
        var inWord = false;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (c == '\\')
            {
                var start = i;
                while (i < command.Length && command[i] == '\\')
                {
                    i++;
                }

                var count = i - start;
                if (i < command.Length && command[i] == '"')
                {
                    current.Append('\\', count / 2);
                    if (count % 2 == 1)
                    {
                        current.Append('"');
                    }
                    else
                    {
                        inQuotes = !inQuotes;
                    }
                }
                else
                {
                    current.Append('\\', count);
                    i--;
                }

                inWord = true;
            }
            else if (c == '"')
            {
                inQuotes = !inQuotes;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c) && !inQuotes)
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return !inQuotes;
    }
}
