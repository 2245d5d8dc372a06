package io.ctxprop.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Headless Debian Chromium driven by its own chromedriver (no Selenium Manager, no download), with
 * the flags that keep it off the network on these machines. Tests are skipped where it is absent;
 * CI installs it.
 */
final class Browser {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {
    }

    /** The browser as users have it: JavaScript on, its console kept for {@link #consoleErrors}. */
    static ChromeDriver start() throws IOException {
        return start(options());
    }

    /** The browser with JavaScript switched off: the pages must work as plain HTML. */
    static ChromeDriver startWithoutJavaScript() throws IOException {
        return start(options().setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2)));
    }

    private static ChromeOptions options() throws IOException {
        var options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--window-size=1280,1000",
                        "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        return options;
    }

    private static ChromeDriver start(ChromeOptions options) {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        return new ChromeDriver(service, options);
    }

    /** The console's errors since the last call (a Content-Security-Policy violation is one). */
    static List<String> consoleErrors(WebDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    /**
     * Waits (up to 60 s) until the element is on the page: after a click that loads a new page, the
     * old one may still be there when the click returns.
     */
    static WebElement await(WebDriver driver, By locator) {
        return new WebDriverWait(driver, Duration.ofSeconds(60)).until(ExpectedConditions.presenceOfElementLocated(locator));
    }

    /** Waits until the element's text matches: for a page that has an element of that kind before it changes. */
    static WebElement awaitText(WebDriver driver, By locator, String regex) {
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(ExpectedConditions.textMatches(locator, java.util.regex.Pattern.compile(regex)));
        return driver.findElement(locator);
    }

    /** Waits until at least {@code count} elements match, and returns them all. */
    static List<WebElement> awaitAtLeast(WebDriver driver, By locator, int count) {
        return new WebDriverWait(driver, Duration.ofSeconds(60)).until(ExpectedConditions.numberOfElementsToBeMoreThan(locator, count - 1));
    }

    static Path screenshot(ChromeDriver driver, String name) throws IOException {
        Path directory = Files.createDirectories(Path.of(System.getProperty("screenshots.dir", "target/screenshots")));
        Path file = directory.resolve(name + ".png");
        Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }
}
