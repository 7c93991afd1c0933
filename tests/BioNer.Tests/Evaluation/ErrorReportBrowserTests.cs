using BioNer.Evaluation;
using BioNer.Tests.Server;
using Microsoft.Playwright;

namespace BioNer.Tests.Evaluation;

/// <summary>
/// The report's <c>index.html</c> opened from disk (file://) in a real headless Chromium, as a user opens it: tables,
/// highlights and both plots render. Skipped when Chromium is absent (<c>apt-get install -y chromium</c>); a failure
/// under CI. The screenshot is kept in the test output folder (<c>artifacts/error-report.png</c>) for a look by eye.
/// </summary>
[Trait("Category", Category.Browser)]
public class ErrorReportBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Page_OpenedFromDisk_RendersTablesHighlightsAndPlots()
    {
        Requires.Program(Chromium, "apt-get install -y chromium");
        using var tmp = new TempDir();
        string dir = tmp.File("report");
        ErrorReportTests.WriteHand(dir);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await WebPageBrowserTests.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        await page.GotoAsync(new Uri(Path.Combine(dir, ErrorReport.IndexFile)).AbsoluteUri,
            new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        Assert.Equal("Hand <test> & co", await page.TitleAsync());
        Assert.True(await page.Locator("#types").IsVisibleAsync());
        Assert.Equal(3, await page.Locator("#types tbody tr").CountAsync());
        Assert.Equal(4, await page.Locator("#confusion tbody tr").CountAsync());
        Assert.True(await page.Locator("#ex-wrong_boundary .sent .gold").First.IsVisibleAsync());
        Assert.True(await page.Locator("#ex-spurious .sent .pred").First.IsVisibleAsync());
        Assert.Equal(["COX", "1"], await page.Locator("#ex-wrong_boundary .sent .gold").AllTextContentsAsync());
        // Gold and predicted highlights look different.
        string goldBorder = await page.Locator("#ex-missed .sent .gold").First.EvaluateAsync<string>("e => getComputedStyle(e).borderBottomStyle");
        string predBackground = await page.Locator("#ex-spurious .sent .pred").First.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        string goldBackground = await page.Locator("#ex-missed .sent .gold").First.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.Equal("solid", goldBorder);
        Assert.NotEqual(goldBackground, predBackground);
        foreach (string img in new[] { "#prf-plot", "#confusion-plot" })
        {
            int width = await page.Locator(img).EvaluateAsync<int>("e => e.complete ? e.naturalWidth : 0");
            Assert.True(width > 0, $"{img} did not load");
        }

        string shot = Path.Combine(AppContext.BaseDirectory, "artifacts", "error-report.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        byte[] png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        Assert.True(png.Length > 10_000);
        Assert.True(File.Exists(shot));
    }
}
