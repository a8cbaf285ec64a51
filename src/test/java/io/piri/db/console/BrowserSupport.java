package io.piri.db.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and chromedriver (/usr/bin), named explicitly so that Selenium never looks
 * for, or downloads, a browser or a driver of its own. Headless, with a fresh profile.
 */
final class BrowserSupport {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  private BrowserSupport() {}

  /**
   * On a machine without Debian's Chromium the browser tests are skipped, so that the test command
   * needs only Java and Maven; CI sets {@code PIRI_REQUIRE_BROWSER=1} after installing Chromium,
   * and then a missing browser fails them instead.
   */
  static ChromeDriver start(Path profile) {
    for (String exe : new String[] {CHROMIUM, CHROMEDRIVER}) {
      if (new File(exe).canExecute()) continue;
      String hint = exe + " is missing: apt-get install chromium chromium-driver (.ci/run does)";
      if ("1".equals(System.getenv("PIRI_REQUIRE_BROWSER"))) throw new IllegalStateException(hint);
      Assumptions.abort("browser tests skipped: " + hint);
    }
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM);
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
        "--window-size=1280,900", "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort().build();
    ChromeDriver d = new ChromeDriver(service, o);
    d.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return d;
  }

  /** Saves a screenshot as target/console-screenshots/{backend}/{name}.png (docs/console/ holds chosen ones). */
  static void screenshot(WebDriver d, String backend, String name) throws IOException {
    File shot = ((TakesScreenshot) d).getScreenshotAs(OutputType.FILE);
    Path dir = Path.of("target", "console-screenshots", backend);
    Files.createDirectories(dir);
    Files.copy(shot.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
