namespace BioNer.Inference;

/// <summary>A run of consecutive words of one document sent to the model together.</summary>
/// <param name="FirstWord">Index of the window's first word in the document.</param>
/// <param name="WordCount">Number of words in the window.</param>
public readonly record struct Window(int FirstWord, int WordCount)
{
    /// <summary>One past the window's last word.</summary>
    public int EndWord => FirstWord + WordCount;
}

/// <summary>
/// Cuts a document of any length into model-sized windows without losing text (the silent 512-token truncation of
/// HF pipelines is the pain this removes). Whole sentences are packed while they fit, so the model sees natural
/// context; a sentence longer than a window is covered by overlapping windows, and <see cref="Owners"/> decides which
/// window's prediction each overlapped word keeps, so every word is scored exactly once in the output.
/// </summary>
public static class WindowPlanner
{
    /// <summary>
    /// Plans windows. <paramref name="subTokens"/>: sub-tokens per word (a word longer than <paramref name="budget"/> is
    /// truncated to it by the caller); <paramref name="sentences"/>: consecutive (first word, word count) covering all
    /// words; <paramref name="budget"/>: sub-tokens per window; <paramref name="stride"/>: sub-tokens shared by
    /// consecutive windows inside an over-long sentence (HF's <c>stride</c>).
    /// </summary>
    public static IReadOnlyList<Window> Plan(IReadOnlyList<int> subTokens, IReadOnlyList<(int First, int Count)> sentences,
        int budget, int stride)
    {
        if (budget < 1) throw new ArgumentOutOfRangeException(nameof(budget), budget, "a window needs at least one sub-token");
        stride = Math.Clamp(stride, 0, budget / 2);
        var windows = new List<Window>();
        int openFirst = -1, openCount = 0, openTokens = 0;
        foreach (var (first, count) in sentences)
        {
            if (count == 0) continue;
            int tokens = Sum(subTokens, first, count);
            if (openCount > 0 && openTokens + tokens <= budget)
            {
                openCount += count;
                openTokens += tokens;
                continue;
            }
            if (openCount > 0) windows.Add(new Window(openFirst, openCount));
            openCount = 0;
            if (tokens <= budget)
            {
                (openFirst, openCount, openTokens) = (first, count, tokens);
                continue;
            }
            windows.AddRange(SplitLong(subTokens, first, count, budget, stride));
        }
        if (openCount > 0) windows.Add(new Window(openFirst, openCount));
        return windows;
    }

    // Overlapping windows over one over-long sentence; each next window starts so that about `stride` sub-tokens of
    // the previous one are repeated, and always at least one word further.
    private static IEnumerable<Window> SplitLong(IReadOnlyList<int> subTokens, int first, int count, int budget, int stride)
    {
        int end = first + count, start = first;
        while (true)
        {
            int stop = start, used = 0;
            while (stop < end && (used + subTokens[stop] <= budget || stop == start)) used += subTokens[stop++];
            yield return new Window(start, stop - start);
            if (stop >= end) yield break;
            int next = stop, overlap = 0;
            while (next - 1 > start && overlap + subTokens[next - 1] <= stride) overlap += subTokens[--next];
            start = Math.Max(next, start + 1);
        }
    }

    private static int Sum(IReadOnlyList<int> values, int first, int count)
    {
        int s = 0;
        for (int i = first; i < first + count; i++) s += values[i];
        return s;
    }

    /// <summary>
    /// For each of <paramref name="wordCount"/> words, the index of the window whose prediction it keeps: the window in
    /// which the word has the most context on its poorer side (distance to the nearer window edge, in words — BERT's
    /// "max context" rule); on a tie, the window that scored the word higher (<paramref name="wordScore"/>(window, word)).
    /// </summary>
    public static int[] Owners(IReadOnlyList<Window> windows, int wordCount, Func<int, int, double> wordScore)
    {
        var owner = new int[wordCount];
        Array.Fill(owner, -1);
        for (int w = 0; w < windows.Count; w++)
        {
            var win = windows[w];
            for (int i = win.FirstWord; i < win.EndWord; i++)
            {
                if (owner[i] < 0) { owner[i] = w; continue; }
                int mine = Context(win, i), theirs = Context(windows[owner[i]], i);
                if (mine > theirs || (mine == theirs && wordScore(w, i) > wordScore(owner[i], i))) owner[i] = w;
            }
        }
        return owner;
    }

    private static int Context(Window w, int word) => Math.Min(word - w.FirstWord, w.EndWord - 1 - word);
}
