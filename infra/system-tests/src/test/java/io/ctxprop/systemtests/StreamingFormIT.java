package io.ctxprop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The form in a browser, streamed: over both transports, with an offline model slow enough (150 ms a
 * word) to watch, each answer grows in its own box, then both are complete and the trace's waterfall
 * below shows the first chunk on the spans that saw it. A screenshot of each moment goes to
 * target/screenshots. The page's script breaks no rule of the Content-Security-Policy, and with
 * JavaScript off the form still posts and shows the answers.
 */
class StreamingFormIT {

    static final String PROMPT = "Stream this answer to me slowly, one word at a time, over both transports";
    static final List<String> TRANSPORTS = List.of("http", "kafka");
    /** The text, state and time-to-first-chunk line of each transport's streamed box, read in one go. */
    static final String BOXES = """
            return ['http', 'kafka'].map(function (transport) {
                var box = document.getElementById('stream-' + transport);
                return box ? [box.getAttribute('data-state'), box.className, box.querySelector('.text').textContent,
                        box.querySelector('.first-chunk').textContent] : null;
            });""";

    static Stack stack;
    static ServiceProcess application;
    static ServiceProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
        int appPort = Ports.free();
        var toInspector = new HashMap<>(stack.environment());
        toInspector.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + appPort);
        var gatewayEnvironment = new HashMap<>(toInspector);
        gatewayEnvironment.put("OFFLINE_MODEL_TOKEN_DELAY", "150ms");
        gatewayEnvironment.put("GATEWAY_TRACES_URL", "http://127.0.0.1:" + appPort + "/traces");
        gateway = stack.track(ServiceProcess.start("gateway-streaming-form", "gateway-service", "GATEWAY_PORT", gatewayEnvironment));
        toInspector.put("GATEWAY_URL", gateway.baseUrl() + "/process");
        toInspector.put("APP_PORT", Integer.toString(appPort));
        application = stack.track(ServiceProcess.start("application-streaming-form", "application-service", "APP_PORT", toInspector));
        // Both hops warm (consumers assigned, connections open), so both answers grow at the same time.
        Traces.askOk(application, "{\"text\":\"warm up\",\"transport\":\"both\"}");
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void bothAnswersGrowThenAreCompleteWithTheTraceAndItsFirstChunksBelow() throws Exception {
        String answer = offlineAnswer(PROMPT);
        ChromeDriver browser = Browser.start();
        try {
            browser.manage().window().setSize(new Dimension(1280, 1800));
            browser.get(application.baseUrl() + "/");
            assertThat(cspViolations(browser)).as("the form loads its script within the policy").isEmpty();
            ask(browser);

            List<List<String>> growing = new WebDriverWait(browser, Duration.ofSeconds(60)).pollingEvery(Duration.ofMillis(20))
                    .until(driver -> {
                        List<List<String>> boxes = boxes(browser);
                        return boxes.stream().allMatch(box -> box != null && !box.get(2).isEmpty() && box.get(2).length() < answer.length())
                                ? boxes : null;
                    });
            Browser.screenshot(browser, "stream-growing");
            assertThat(growing).allSatisfy(box -> {
                assertThat(box.get(0)).isEqualTo("streaming");
                assertThat(box.get(1)).contains("pending").doesNotContain("answer");
                assertThat(answer).as("the chunks so far add up to the answer's beginning").startsWith(box.get(2));
                assertThat(box.get(3)).matches("first chunk after \\d+ ms \\(measured here\\)");
            });

            String traceId = Browser.await(browser, By.id("trace-id")).getText();
            assertThat(traceId).matches("[0-9a-f]{32}");
            List<WebElement> answers = browser.findElements(By.cssSelector("#result.streamed .answer"));
            assertThat(answers).extracting(box -> box.getDomAttribute("data-transport")).containsExactlyElementsOf(TRANSPORTS);
            assertThat(answers).allSatisfy(box -> {
                assertThat(box.getDomAttribute("data-state")).isEqualTo("answered");
                assertThat(box.findElement(By.cssSelector(".text")).getDomProperty("textContent")).isEqualTo(answer);
                assertThat(box.findElement(By.cssSelector(".model")).getText()).isEqualTo("offline-echo");
                assertThat(box.findElement(By.cssSelector(".first-chunk")).getText()).matches("first chunk after \\d+ ms");
            });
            assertThat(browser.findElement(By.id("trace-link")).getDomAttribute("href")).isEqualTo("/traces/" + traceId);

            browser.switchTo().frame(Browser.await(browser, By.id("trace-frame")));
            var rows = Browser.awaitAtLeast(browser, By.cssSelector(".inspection .waterfall .row"), 10);
            assertThat(rows).extracting(row -> row.getDomAttribute("data-service")).contains("application-service", "gateway-service");
            assertThat(marks(browser, "application_process_request")).as("the root saw a first chunk per transport").hasSize(2);
            assertThat(browser.findElements(By.cssSelector(".row[data-span-name='chat offline-echo']"))).hasSize(2)
                    .allSatisfy(llm -> assertThat(llm.findElements(By.cssSelector(".event-mark[data-event=first_chunk]"))).singleElement()
                            .satisfies(mark -> assertThat(mark.getDomAttribute("title")).matches("first_chunk.*, \\d+\\.\\d ms into the span")));
            browser.switchTo().defaultContent();
            Browser.screenshot(browser, "stream-complete");

            assertThat(cspViolations(browser)).as("streaming broke no rule of the policy").isEmpty();
        } finally {
            browser.quit();
        }
    }

    /**
     * The inspector and the gateway's page are a click away before any answer; after one, the trace's
     * frame is as tall as its waterfall, a row opened to its attributes included: no scroll bar of its
     * own with rows cut off above an empty page.
     */
    @Test
    void theTracesAreLinkedAtOnceAndTheFormsTraceFitsItsFrame() throws Exception {
        ChromeDriver browser = Browser.start();
        try {
            browser.manage().window().setSize(new Dimension(1280, 1000));
            browser.get(application.baseUrl() + "/");
            assertThat(browser.findElement(By.id("recent-traces")).getDomAttribute("href")).isEqualTo("/traces");
            assertThat(browser.findElement(By.id("gateway-page")).getDomAttribute("href")).isEqualTo(gateway.baseUrl() + "/");
            Browser.screenshot(browser, "form-before-an-answer");

            browser.findElement(By.id("text")).sendKeys("Fit the trace");
            browser.findElement(By.cssSelector("input[name=transport][value=kafka]")).click();
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            Browser.await(browser, By.id("trace-id"));
            browser.switchTo().frame(Browser.await(browser, By.id("trace-frame")));
            Browser.awaitAtLeast(browser, By.cssSelector(".inspection .waterfall .row"), 7);
            browser.findElement(By.cssSelector(".row[data-span-name='process llm.replies'] summary")).click();
            Browser.await(browser, By.cssSelector(".row[open] .attributes"));
            browser.switchTo().defaultContent();

            boolean fits;
            try {
                fits = new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver -> frameFits(browser));
            } catch (org.openqa.selenium.TimeoutException tooShort) {
                fits = false;
            }
            browser.executeScript("document.getElementById('trace-frame').scrollIntoView()");
            Browser.screenshot(browser, "form-trace-fits-its-frame"); // kept either way: it shows what was wrong
            assertThat(fits).as("the frame shows its whole waterfall, the opened row included, with no scroll bar of its own").isTrue();
        } finally {
            browser.quit();
        }
    }

    /** The frame's own viewport is as tall as its page, a row opened: nothing to scroll inside it. */
    private static boolean frameFits(ChromeDriver browser) {
        return Boolean.TRUE.equals(browser.executeScript("""
                var frame = document.getElementById('trace-frame');
                var page = frame.contentDocument.documentElement;
                return frame.contentDocument.querySelector('.row[open]') !== null && page.scrollHeight <= page.clientHeight;"""));
    }

    /** The gateway's page: each recent request's trace id opens the trace in the application's inspector; times are short, on one line. */
    @Test
    void theGatewaysPageLinksEachTraceToTheInspector() throws Exception {
        String traceId = Traces.askOk(application, "{\"text\":\"link me\",\"transport\":\"http\"}");
        ChromeDriver browser = Browser.start();
        try {
            browser.get(gateway.baseUrl() + "/");
            WebElement link = Browser.await(browser, By.xpath("//a[@class='trace'][code[text()='" + traceId + "']]"));
            assertThat(link.getDomAttribute("href")).isEqualTo(application.baseUrl() + "/traces/" + traceId);
            WebElement when = link.findElement(By.xpath("ancestor::tr/td[@class='when']"));
            assertThat(when.getText()).matches("\\d{2}:\\d{2}:\\d{2}\\.\\d{3}");
            assertThat(when.getDomAttribute("title")).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
            assertThat(when.getSize().getHeight()).as("on one line").isLessThan(2 * link.getSize().getHeight());
            Browser.screenshot(browser, "gateway-page");

            link.click();
            Browser.await(browser, By.cssSelector(".inspection[data-trace-id='" + traceId + "']"));
            Browser.screenshot(browser, "gateway-page-trace-link");
        } finally {
            browser.quit();
        }
    }

    @Test
    void withJavaScriptOffTheFormPostsAndShowsTheAnswers() throws Exception {
        String answer = offlineAnswer(PROMPT);
        ChromeDriver browser = Browser.startWithoutJavaScript();
        try {
            browser.get(application.baseUrl() + "/");
            ask(browser);

            assertThat(Browser.await(browser, By.id("trace-id")).getText()).matches("[0-9a-f]{32}");
            assertThat(browser.getCurrentUrl()).endsWith("/ask");
            List<WebElement> answers = browser.findElements(By.cssSelector("#result .answer"));
            assertThat(answers).extracting(box -> box.getDomAttribute("data-transport")).containsExactlyElementsOf(TRANSPORTS);
            assertThat(answers).extracting(box -> box.findElement(By.cssSelector(".text")).getText()).containsOnly(answer);
            assertThat(browser.findElements(By.cssSelector(".streamed"))).as("no script ran").isEmpty();
            Browser.screenshot(browser, "form-without-javascript");
        } finally {
            browser.quit();
        }
    }

    private static void ask(ChromeDriver browser) {
        browser.findElement(By.id("text")).sendKeys(PROMPT);
        browser.findElement(By.cssSelector("input[name=transport][value=both]")).click();
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> boxes(ChromeDriver browser) {
        return (List<List<String>>) browser.executeScript(BOXES);
    }

    private static List<WebElement> marks(ChromeDriver browser, String spanName) {
        return browser.findElements(By.cssSelector(".row[data-span-name='" + spanName + "'] .event-mark[data-event=first_chunk]"));
    }

    private static List<String> cspViolations(ChromeDriver browser) {
        return Browser.consoleErrors(browser).stream().filter(message -> message.contains("Content Security Policy")).toList();
    }

    /** The gateway's offline model's answer (OfflineModel.answer; the gateway's classes are not on this module's path). */
    static String offlineAnswer(String prompt) {
        String oneLine = prompt.strip().replaceAll("\\s+", " ");
        String quoted = oneLine.length() > 80 ? oneLine.substring(0, 77) + "..." : oneLine;
        int words = oneLine.split(" ").length;
        return "Offline model answer: you wrote " + words + (words == 1 ? " word" : " words") + ", beginning \"" + quoted
                + "\". Set OPENAI_API_KEY or OPENAI_BASE_URL to ask a real model.";
    }
}
