package io.piri.db.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The queue screen's dedupe-key form in a real Chromium, from the keyboard: a live key, then a key found nowhere. */
public abstract class DedupeBrowserTestBase extends BrowserTestBase {
  @Test
  void theQueueScreenFindsWhereADedupeKeyIs() throws Exception {
    startConsole();
    long id = enqueuePin(1, "k1");
    WebDriverWait wait = waiting();
    driver.get(base() + "#/queues/aggregator");
    driver.navigate().refresh();
    WebElement name = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dedupe-name")));
    name.sendKeys("pin", Keys.TAB);
    driver.switchTo().activeElement().sendKeys("k1", Keys.ENTER);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dedupe-result"), "found: live"));
    WebElement link = driver.findElement(By.cssSelector("#dedupe-result a"));
    assertEquals(String.valueOf(id), link.getText());
    assertTrue(link.getAttribute("href").endsWith("#/queues/aggregator/jobs/" + id), link.getAttribute("href"));
    shot("dedupe");

    WebElement key = driver.findElement(By.id("dedupe-key"));
    key.clear();
    key.sendKeys("other", Keys.ENTER);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dedupe-result"), "found: nowhere"));
  }
}
