package io.piri.db.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's tests in a real Chromium ({@link BrowserSupport}): one browser, with a fresh
 * profile, for all the tests of a class; each test starts its own node.
 */
public abstract class BrowserTestBase extends ConsoleTestBase {
  protected static ChromeDriver driver;
  private static Path profile;

  @BeforeAll
  static void startBrowser() throws Exception {
    profile = Files.createTempDirectory("piri-console-chromium");
    driver = BrowserSupport.start(profile);
  }

  @AfterAll
  static void stopBrowser() throws Exception {
    if (driver != null) driver.quit();
    driver = null;
    try (var files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  protected WebDriverWait waiting() {
    return new WebDriverWait(driver, Duration.ofSeconds(15));
  }

  /** Saves the page as target/console-screenshots/{backend}/{name}.png. */
  protected void shot(String name) throws Exception {
    BrowserSupport.screenshot(driver, backend().type().id(), name);
  }
}
