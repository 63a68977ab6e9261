using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace SharpVision.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors into what a newcomer needs: one "error:" line in plain words (no .NET type
/// names), "did you mean" for a typo, and the verb's usage line instead of a full help dump; exit code 2.
/// </summary>
internal static partial class UsageErrors
{
    /// <summary>Exit code of a usage error (bad verb, option or option value).</summary>
    public const int ExitCode = 2;

    /// <summary>Writes the errors of <paramref name="parse"/> to <paramref name="error"/> and returns <see cref="ExitCode"/>.</summary>
    public static int Report(ParseResult parse, TextWriter error)
    {
        var command = parse.CommandResult.Command;
        var unmatched = parse.UnmatchedTokens.ToList();
        if (unmatched.Count > 0)
        {
            var token = unmatched[0];
            var isOption = token.StartsWith('-');
            var candidates = isOption
                ? command.Options.SelectMany(o => new[] { o.Name }.Concat(o.Aliases))
                : command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
            var suggestion = Closest(token, candidates);
            var what = isOption ? "option" : command.Subcommands.Count > 0 ? "verb" : "argument";
            error.WriteLine($"error: unknown {what} '{token}'" + (suggestion is null ? "" : $"; did you mean {suggestion}?"));
        }
        else
        {
            var first = parse.Errors[0].Message;
            error.WriteLine("error: " + Plain(first, command));
        }
        error.WriteLine("usage: " + Usage(command));
        return ExitCode;
    }

    /// <summary>"sharpvision train --data &lt;data&gt; --model &lt;model&gt; --out &lt;out&gt; [options]   (sharpvision train --help for all options)".</summary>
    internal static string Usage(Command command)
    {
        var path = new List<string>();
        for (var c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault()) path.Insert(0, c is RootCommand ? "sharpvision" : c.Name);
        var name = string.Join(' ', path);
        if (command is RootCommand || command.Subcommands.Count > 0)
            return $"{name} <verb> [options]   verbs: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}   ({name} --help)";
        var required = command.Options.Where(o => o.Required).Select(o => $"{o.Name} <{o.Name.TrimStart('-')}>");
        var arguments = command.Arguments.Select(a => a.Arity.MaximumNumberOfValues > 1 ? $"<{a.Name}>..." : $"<{a.Name}>");
        return string.Join(' ', new[] { name }.Concat(required).Concat(arguments).Append("[options]")) + $"   ({name} --help for all options)";
    }

    /// <summary>Rewrites System.CommandLine's messages that name .NET types.</summary>
    internal static string Plain(string message, Command? command = null)
    {
        if (RequiredOption().Match(message) is { Success: true } r) return $"{r.Groups[1].Value} is required";
        if (RequiredArgument().IsMatch(message) && command is not null)
            return $"{command.Name} needs {string.Join(" ", command.Arguments.Select(a => $"<{a.Name}>"))}";
        var m = CannotParse().Match(message);
        if (!m.Success) return message;
        var kind = m.Groups[3].Value switch
        {
            "System.Int32" or "System.Int64" => "a whole number",
            "System.UInt64" or "System.UInt32" => "a whole number ≥ 0",
            "System.Double" or "System.Single" => "a number",
            "System.Boolean" => "true or false",
            _ => "valid",
        };
        return $"{m.Groups[2].Value}: '{m.Groups[1].Value}' is not {kind}";
    }

    /// <summary>The candidate within edit distance 2 (or sharing a long prefix), or null.</summary>
    internal static string? Closest(string token, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var c in candidates.Distinct())
        {
            var d = Distance(token, c);
            if (d < bestDistance) (best, bestDistance) = (c, d);
        }
        return best is not null && (bestDistance <= Math.Max(2, token.Length / 4) || best.StartsWith(token, StringComparison.Ordinal)) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1); // transposition
        }
        return d[a.Length, b.Length];
    }

    [GeneratedRegex(@"^Option '(.*)' is required\.?$")]
    private static partial Regex RequiredOption();

    [GeneratedRegex(@"^Required argument missing for command")]
    private static partial Regex RequiredArgument();

    [GeneratedRegex(@"^Cannot parse argument '(.*)' for option '(.*)' as expected type '(.*)'\.?$")]
    private static partial Regex CannotParse();
}
