package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web console in a real headless Chromium (Debian's chromium and chromedriver) against the gateway jar, with the
 * lab's six machines installed by the real installer and their agents: sign in with an operator token, watch the
 * inventory fill up live, filter it, commission from the commission view, open a machine, run an action (with its
 * confirmation), see another client's action arrive without a reload, move the "as of" slider, follow a rollout.
 * Screenshots go to {@code e2e/target/console-screenshots/} (docs/console.md shows some of them).
 */
class ConsoleIT {

    static final Path SCREENSHOTS = GatewayProcess.REPO.resolve("e2e/target/console-screenshots");
    static final Duration PATIENCE = Duration.ofSeconds(240); // three builds at once on two cores: the lab alone took over 90 s

    @TempDir
    static Path tmp;
    static GatewayProcess gateway;
    static InstallerProcess lab;
    static WebDriver browser;
    static String operatorToken;

    @BeforeAll
    static void start() throws Exception {
        assertThat(Path.of("/usr/bin/chromium")).as("Debian's chromium (.ci/run installs it)").exists();
        assertThat(Path.of("/usr/bin/chromedriver")).as("Debian's chromium-driver (.ci/run installs it)").exists();
        gateway = GatewayProcess.start(GatewayProcess.freePort(), tmp.resolve("gateway"));
        gateway.importLabIntentWithoutHostDeployments();
        operatorToken = gateway.post("/api/v1/admin/tokens", Map.of("name", "console-op", "role", "operator"))
                .get("token").asText();
        Files.createDirectories(SCREENSHOTS);

        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // headless as root, and no background connections this closed network would refuse
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1440,900", "--user-data-dir=" + tmp.resolve("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort()
                .withLogFile(tmp.resolve("chromedriver.log").toFile()).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (lab != null) {
            lab.stop();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void signInInventoryMachineActionLiveUpdate() throws Exception {
        // sign in: a wrong token is refused in words, the operator token lets in
        browser.get(gateway.url() + "/");
        WebElement token = waitFor(By.id("token"));
        token.sendKeys("ucd_not-a-token", Keys.ENTER);
        waitUntil(d -> d.findElement(By.id("sign-in-error")).getText().contains("not valid"));
        screenshot("01-sign-in");
        token = browser.findElement(By.id("token"));
        token.clear();
        token.sendKeys(operatorToken, Keys.ENTER);
        waitUntil(d -> d.findElement(By.id("who")).getText().contains("token:console-op · operator"));
        waitUntil(d -> text(By.id("inventory-status")).contains("No machines"));
        // from here on the page is never reloaded: a marker set now must survive to the end
        js("window.__noReload = 'still-here'");
        waitUntil(d -> text(By.id("live")).contains("live"));

        // the lab's installers and agents: the table fills and changes while we watch
        lab = InstallerProcess.start(tmp, "lab", "--deployer", gateway.url(),
                "--join-secret-file", gateway.joinSecretFile().toString(),
                "--operator-token-file", gateway.adminTokenFile().toString(),
                "--work-dir", tmp.resolve("lab").toString(), "--commands", tmp.resolve("commands.jsonl").toString(),
                "--agents", "--agent-url", gateway.httpsUrl(), "--timeout", "600", "--quiet");
        await().atMost(PATIENCE).until(() -> gateway.get("/api/v1/machines/counts").at("/byState/ACTIVE").asInt() == 5
                && "COMMISSIONED".equals(gateway.stateOfHost("storage-1")));
        waitUntil(d -> rowsOf("ACTIVE") == 5 && rowsOf("COMMISSIONED") == 1);
        waitUntil(d -> tab("ACTIVE").getText().endsWith("5"));
        assertThat(rowText("cp-1")).contains("control-plane").contains("nvme-eui.");
        screenshot("02-inventory");

        // filters: the ACTIVE tab, then a search within it, then all again
        tab("ACTIVE").click();
        waitUntil(d -> rows().size() == 5 && rowsOf("ACTIVE") == 5);
        WebElement search = browser.findElement(By.name("q"));
        search.sendKeys("cp-");
        waitUntil(d -> rows().size() == 3);
        assertThat(browser.getCurrentUrl()).contains("state=ACTIVE").contains("q=cp-");
        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        tab("ALL").click();
        waitUntil(d -> rows().size() == 6);

        // the commission view: storage-1 waits with its rule match; install it from there
        browser.findElement(By.linkText("Commission")).click();
        WebElement card = waitFor(By.cssSelector("article.card[aria-label='storage-1']"));
        assertThat(card.getText()).contains("Matches").contains("storage");
        card.findElement(By.tagName("summary")).click();
        screenshot("03-commission");
        card.findElement(By.cssSelector("button[data-action='install']")).click();
        waitUntil(d -> d.findElements(By.cssSelector("article.card[aria-label='storage-1']")).isEmpty());
        assertThat(gateway.stateOfHost("storage-1")).isIn("INSTALL_PENDING", "INSTALLING", "INSTALLED", "ACTIVE");

        // a machine: its page, an action with its confirmation, the state and the new event without a reload
        browser.findElement(By.linkText("Inventory")).click();
        waitFor(By.linkText("worker-1")).click();
        waitUntil(d -> text(By.cssSelector(".summary .badge")).equals("ACTIVE"));
        String machineId = gateway.machineByHostname("worker-1").get("machineId").asText();
        assertThat(browser.getCurrentUrl()).endsWith("#/machine/" + machineId);
        waitUntil(d -> text(By.id("timeline")).contains("MachineActivated"));
        assertThat(browser.findElement(By.cssSelector(".diagram .node.current")).getAttribute("data-state")).isEqualTo("ACTIVE");
        screenshot("04-machine", 2200);
        int eventsBefore = timelineSize();
        browser.findElement(By.cssSelector("button[data-action='drain']")).click();
        WebElement dialog = waitFor(By.id("confirm"));
        assertThat(dialog.getText()).contains("out of service");
        screenshot("05-confirm-drain");
        browser.findElement(By.id("confirm-ok")).click();
        waitUntil(d -> text(By.cssSelector(".summary .badge")).equals("DRAINING"));
        waitUntil(d -> timelineSize() == eventsBefore + 1 && text(By.cssSelector("#timeline li:first-child")).contains("DrainStarted"));
        assertThat(text(By.cssSelector("#timeline li:first-child"))).contains("token:console-op");

        // another client acts: the page hears it from the event stream
        gateway.post("/api/v1/machines/" + machineId + "/undrain", Map.of());
        waitUntil(d -> text(By.cssSelector(".summary .badge")).equals("ACTIVE"));
        waitUntil(d -> text(By.cssSelector("#timeline li:first-child")).contains("DrainCancelled")
                && text(By.cssSelector("#timeline li:first-child")).contains("token:initial-admin"));

        // the machine as of its first event
        WebElement slider = browser.findElement(By.id("as-of"));
        slider.sendKeys(Keys.HOME);
        waitUntil(d -> text(By.id("as-of-output")).startsWith("#0") && text(By.id("as-of-output")).contains("DISCOVERED"));
        assertThat(browser.findElement(By.cssSelector(".diagram .node.current")).getAttribute("data-state")).isEqualTo("DISCOVERED");

        // a rollout over the workers, followed on the rollouts page
        gateway.post("/api/v1/host-deployments", Map.of("id", "fleet-2", "selector", Map.of("pools", List.of("general")),
                "system", Map.of("storePath", "/nix/store/0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d-nixos-system-fleet-2"),
                "batchSize", 1, "activation", Map.of("confirmTimeoutSeconds", 5)));
        browser.findElement(By.linkText("Rollouts")).click();
        waitFor(By.cssSelector("tr[data-deployment='fleet-2']"));
        browser.findElement(By.linkText("fleet-2")).click();
        waitUntil(d -> text(By.id("rollout-detail")).contains("SUCCEEDED"));
        waitUntil(d -> d.findElements(By.cssSelector("#rollout-detail .phase-rolled-out")).size() == 2);
        assertThat(text(By.id("rollout-detail"))).contains("worker-1").contains("worker-2");
        screenshot("06-rollouts");

        assertThat(js("return window.__noReload")).isEqualTo("still-here");
        JsonNode detail = gateway.get("/api/v1/machines/" + machineId);
        assertThat(detail.get("state").asText()).isEqualTo("ACTIVE");

        browser.findElement(By.id("sign-out")).click();
        waitFor(By.id("token"));
        assertThat(js("return sessionStorage.getItem('ultracloud.token')")).isNull();
    }

    private static WebElement waitFor(By by) {
        return new WebDriverWait(browser, PATIENCE).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private static void waitUntil(Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, PATIENCE).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class).until(condition);
    }

    private static String text(By by) {
        return browser.findElement(by).getText();
    }

    private static List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#inventory tbody tr[data-machine]"));
    }

    private static long rowsOf(String state) {
        return browser.findElements(By.cssSelector("#inventory tbody tr[data-machine] .state-" + state.toLowerCase())).size();
    }

    private static String rowText(String hostname) {
        return browser.findElement(By.xpath("//table[@id='inventory']//tr[.//a[text()='" + hostname + "']]")).getText();
    }

    private static WebElement tab(String state) {
        return browser.findElement(By.cssSelector(".tab[data-state='" + state + "']"));
    }

    private static int timelineSize() {
        return browser.findElements(By.cssSelector("#timeline li")).size();
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static void screenshot(String name) throws Exception {
        screenshot(name, 900);
    }

    /** The page at 1440 px wide (a laptop) and up to {@code height} px tall, as a PNG under target/. */
    private static void screenshot(String name, int height) throws Exception {
        Dimension before = browser.manage().window().getSize();
        if (height != 900) {
            browser.manage().window().setSize(new Dimension(1440, height));
        }
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        browser.manage().window().setSize(before);
    }
}
