using Microsoft.Playwright;

namespace BioNer.Tests.Server;

/// <summary>
/// The served page in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright): type text, click
/// Annotate, and check the highlighted spans, legend and table. Skipped when Chromium is absent (install it with
/// <c>apt-get install -y chromium</c>); a failure under CI.
/// </summary>
[Trait("Category", Category.Browser)]
public class WebPageBrowserTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Chromium = "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });

    [Fact]
    public async Task Page_AnnotateText_HighlightsEntitiesByType()
    {
        Requires.Program(Chromium, "apt-get install -y chromium");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(server.Client.BaseAddress!.ToString());
        await page.WaitForSelectorAsync(".legend mark");

        string text = "BRCA1 carriers took <b>aspirin</b> 🧬 and acetylsalicylic acid.";
        await page.FillAsync("#text", text);
        await page.ClickAsync("#annotate");
        await page.WaitForSelectorAsync("body[data-state=done]");

        var marks = await page.Locator("#result mark").AllAsync();
        var found = new List<string>();
        foreach (var m in marks) found.Add($"{await m.GetAttributeAsync("data-type")}:{await m.EvaluateAsync<string>("e => e.firstChild.textContent")}");
        Assert.Equal(["Gene:BRCA1", "Chemical:aspirin", "Emoji:🧬", "Chemical:acetylsalicylic acid"], found);
        // The text is shown as text, never as markup, and whole.
        Assert.Equal(0, await page.Locator("#result b").CountAsync());
        string shown = await page.EvaluateAsync<string>("() => [...document.getElementById('result').childNodes].map(n => n.nodeType === 3 ? n.textContent : n.firstChild.textContent).join('')");
        Assert.Equal(text, shown);
        Assert.Equal(["Chemical", "Emoji", "Gene"], (await page.Locator(".legend mark").AllTextContentsAsync()).Order());
        Assert.Equal(4, await page.Locator("#table tbody tr").CountAsync());
        Assert.True(await page.Locator("#download").IsVisibleAsync());
        string geneColour = await page.Locator("#result mark[data-type=Gene]").EvaluateAsync<string>("e => e.style.background");
        string chemColour = await page.Locator("#result mark[data-type=Chemical]").First.EvaluateAsync<string>("e => e.style.background");
        Assert.NotEqual(geneColour, chemColour);
    }
}
