package io.piri.db.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.Clock;
import io.piri.db.core.StoreId;
import io.piri.db.support.WatchedClock;
import io.piri.db.support.DeadLetterSeed;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real Chromium drives every screen and action of the console against a running node; each
 * screen is saved as a screenshot (target/console-screenshots/).
 */
public abstract class ConsoleBrowserTestBase extends BrowserTestBase {
  @BeforeEach
  void startNodeAndForgetLogins() throws Exception {
    startConsole();
    driver.get(base());
    // Cookies are per host, not per port: a login on the previous test's node must not linger.
    driver.manage().deleteAllCookies();
  }

  private String backendName() {
    return backend().type().id();
  }

  private WebElement await(By by) {
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  /** Loads the console afresh at a screen and waits for {@code ready}. */
  private WebElement open(String hash, By ready) {
    driver.get(base() + "#" + hash);
    driver.navigate().refresh();
    return await(ready);
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  private void login(String token, String role) {
    open("/login", By.id("token")).sendKeys(token, Keys.ENTER);
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "(" + role + ")"));
    await(By.cssSelector("tr[data-queue]"));
  }

  private String cell(String queue, String field) {
    return driver.findElement(By.cssSelector("tr[data-queue='" + queue + "'] td[data-field='" + field + "']")).getText();
  }

  private static long number(String text) {
    return Long.parseLong(text.replace(",", ""));
  }

  private static double metric(String text, String name, String... labels) {
    Matcher m = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE).matcher(text);
    while (m.find()) {
      boolean all = true;
      for (String l : labels) all &= m.group(1).contains(l);
      if (all) return Double.parseDouble(m.group(2));
    }
    return Double.NaN;
  }

  private void awaitStreams(int n) {
    waiting().until(d -> server.console().eventClients() == n);
  }

  @Test
  void overviewShowsTheCountsOfStatsAndMetricsAndAChangeArrivesWithoutReload() throws Exception {
    deadLetters("replication", StoreId.REPLICATOR, 2);
    call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "m").put("payload", 1));
    call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "compute_commp").put("name", "c").put("payload", 1).put("delay_ms", 3_600_000));
    open("/", By.cssSelector("tr[data-queue='replication']"));
    String metrics = new String(http.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + config.http().port() + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body());
    for (StoreId s : List.of(StoreId.REPLICATOR, StoreId.AGGREGATOR, StoreId.EGRESS_TRACKER)) {
      JsonObject stats = call(s, "stats", new JsonObject()).getJsonObject("queues");
      for (String q : stats.fieldNames()) {
        for (String k : List.of("ready", "scheduled", "running", "dead", "done")) {
          long shown = number(cell(q, k));
          assertEquals(stats.getJsonObject(q).getLong(k), shown, q + "." + k);
          if (!k.equals("done")) {
            assertEquals((double) shown, metric(metrics, "piri_db_queue_jobs", "queue=\"" + q + "\"", "state=\"" + k + "\""), q + "." + k);
          }
        }
      }
    }
    assertEquals(2, number(cell("replication", "dead")));
    assertEquals(1, number(cell("compute_commp", "scheduled")));
    shot("overview");

    js("window.__sameDocument = true;");
    waiting().until(d -> "open".equals(js("return window.piriConsole.events.value")));
    awaitStreams(1);
    call(StoreId.REPLICATOR, "enqueue", new JsonObject().put("queue", "replication").put("name", "n").put("payload", 1));
    // The store sends its change event at most 100 ms after the commit (on the test clock: now).
    clock.advance(100);
    // The console's promise (console.md point 3): on screen within 500 ms of the change, pushed.
    new WebDriverWait(driver, Duration.ofMillis(500), Duration.ofMillis(20))
        .until(d -> cell("replication", "ready").equals("1"));
    assertEquals(Boolean.TRUE, js("return window.__sameDocument === true"), "the page was not reloaded");
  }

  @Test
  void deadLettersPageForwardAndBackByKey() throws Exception {
    List<Long> ids = deadLetters("replication", StoreId.REPLICATOR, 25);
    open("/queues/replication/dead?limit=10", By.cssSelector("tr[data-id]"));
    assertEquals(ids.subList(0, 10), shownIds());
    shot("dead-letters");
    next("next-page");
    assertEquals(ids.subList(10, 20), shownIds());
    next("next-page");
    assertEquals(ids.subList(20, 25), shownIds());
    assertFalse(driver.findElement(By.id("next-page")).isEnabled());
    next("prev-page");
    assertEquals(ids.subList(10, 20), shownIds());
    next("prev-page");
    assertEquals(ids.subList(0, 10), shownIds());
    assertFalse(driver.findElement(By.id("prev-page")).isEnabled());
  }

  private void next(String button) {
    String before = driver.findElement(By.id("page-number")).getText();
    driver.findElement(By.id(button)).sendKeys(Keys.ENTER);
    waiting().ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(d -> !d.findElement(By.id("page-number")).getText().equals(before));
  }

  private List<Long> shownIds() {
    return waiting().ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> idsOnPage());
  }

  private List<Long> idsOnPage() {
    return driver.findElements(By.cssSelector("tr[data-id]")).stream().map(e -> Long.parseLong(e.getAttribute("data-id"))).toList();
  }

  @Test
  void anOperatorRequeuesASelectedDeadLetterFromTheKeyboardAndAViewerIsRefused() throws Exception {
    List<Long> ids = deadLetters("replication", StoreId.REPLICATOR, 3);
    login(viewer, "viewer");
    open("/queues/replication/dead", By.cssSelector("tr[data-id]"));
    assertFalse(driver.findElement(By.id("requeue-all")).isEnabled(), "a viewer gets no action buttons");
    JsonObject before = queueState();
    Object status = ((JavascriptExecutor) driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch('api/queues/replication/dead/requeue', {method: 'POST', credentials: 'same-origin',"
            + " headers: {'Content-Type': 'application/json'}, body: JSON.stringify({ids: [" + ids.get(1) + "]})})"
            + ".then(r => done(r.status));");
    assertEquals(403L, status);
    assertEquals(before, queueState(), "the viewer's request changed nothing");

    driver.findElement(By.id("logout")).click();
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "read-only"));
    login(operator, "operator");
    open("/queues/replication/dead", By.cssSelector("tr[data-id]"));
    driver.findElement(By.cssSelector("input[data-select='" + ids.get(1) + "']")).sendKeys(Keys.SPACE);
    waiting().until(ExpectedConditions.textToBe(By.id("selected-count"), "1 selected"));
    driver.findElement(By.id("purge-selected")).sendKeys(Keys.ENTER);
    await(By.id("confirm-dialog"));
    driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    waiting().until(ExpectedConditions.textToBe(By.id("status"), "Nothing changed."));
    assertEquals(before, queueState(), "a cancelled purge changed nothing");

    driver.findElement(By.id("requeue-selected")).sendKeys(Keys.ENTER);
    await(By.id("confirm-dialog"));
    assertEquals("confirm-cancel", driver.switchTo().activeElement().getAttribute("id"), "Cancel has the focus");
    shot("confirm");
    driver.switchTo().activeElement().sendKeys(Keys.TAB);
    assertEquals("confirm-ok", driver.switchTo().activeElement().getAttribute("id"));
    driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    waiting().until(ExpectedConditions.textToBe(By.id("status"), "Requeued 1."));
    JsonObject stats = call(StoreId.REPLICATOR, "stats", new JsonObject()).getJsonObject("queues").getJsonObject("replication");
    assertEquals(2, stats.getLong("dead"));
    assertEquals(1, stats.getLong("ready"));
    waiting().until(d -> shownIds().equals(List.of(ids.get(0), ids.get(2))));
  }

  private WebElement control(String queue) {
    return driver.findElement(By.cssSelector("tr[data-queue='" + queue + "'] td[data-field='paused'] button"));
  }

  @Test
  void anOperatorPausesAndResumesAQueueFromTheKeyboardAndAViewerCannot() throws Exception {
    call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "m").put("payload", 1));
    login(viewer, "viewer");
    assertEquals("running Pause", cell("manager", "paused"));
    assertFalse(control("manager").isEnabled(), "a viewer gets no pause button");

    driver.findElement(By.id("logout")).click();
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "read-only"));
    login(operator, "operator");
    control("manager").sendKeys(Keys.ENTER);
    await(By.id("confirm-dialog"));
    driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    waiting().until(ExpectedConditions.textToBe(By.id("status"), "Nothing changed."));
    assertFalse(queuePaused(StoreId.AGGREGATOR, "manager"), "a cancelled pause changed nothing");

    control("manager").sendKeys(Keys.ENTER);
    await(By.id("confirm-dialog"));
    assertEquals("confirm-cancel", driver.switchTo().activeElement().getAttribute("id"), "Cancel has the focus");
    driver.switchTo().activeElement().sendKeys(Keys.TAB);
    driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    waiting().until(ExpectedConditions.textToBe(By.id("status"), "Paused manager."));
    assertTrue(queuePaused(StoreId.AGGREGATOR, "manager"));
    waiting().until(d -> cell("manager", "paused").equals("paused Resume"));
    assertEquals("running Pause", cell("aggregator", "paused"), "other queues still run");
    shot("paused");
    assertEquals(0, call(StoreId.AGGREGATOR, "claim", new JsonObject().put("queue", "manager")).getJsonArray("jobs").size());

    control("manager").sendKeys(Keys.ENTER);
    await(By.id("confirm-dialog"));
    driver.switchTo().activeElement().sendKeys(Keys.TAB);
    driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    waiting().until(ExpectedConditions.textToBe(By.id("status"), "Resumed manager."));
    assertFalse(queuePaused(StoreId.AGGREGATOR, "manager"));
    waiting().until(d -> cell("manager", "paused").equals("running Pause"));
    assertEquals("otto", assertResumedWithItsJob(StoreId.AGGREGATOR, "manager").getString("actor"));
  }

  @Test
  void aDeadLetterShowsItsPayloadRedactedUntilAnOperatorRevealsIt() throws Exception {
    List<Long> ids = deadLetters("replication", StoreId.REPLICATOR, 1);
    open("/queues/replication/dead/" + ids.get(0), By.id("payload-redacted"));
    assertFalse(driver.getPageSource().contains("s-0"), "the payload is not on the page");
    assertTrue(driver.findElements(By.id("reveal")).isEmpty());
    assertEquals("piri-db dead requeue replication " + ids.get(0), driver.findElement(By.id("cli-command")).getText());
    assertEquals("permanent_error", driver.findElement(By.cssSelector("#dead-fields dd[data-field='reason']")).getText());
    login(operator, "operator");
    open("/queues/replication/dead/" + ids.get(0), By.id("reveal")).sendKeys(Keys.ENTER);
    assertTrue(await(By.id("payload-text")).getText().contains("\"secret\": \"s-0\""));
    shot("dead-letter");
  }

  @Test
  void aQueuesJobsAreListedByStateAndAJobOpensWithItsDeliveries() throws Exception {
    for (int i = 0; i < 3; i++) {
      call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "m" + i).put("payload", i));
    }
    call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "later").put("payload", 9).put("delay_ms", 60_000));
    JsonObject claimed = call(StoreId.AGGREGATOR, "claim", new JsonObject().put("queue", "manager")).getJsonArray("jobs").getJsonObject(0);
    call(StoreId.AGGREGATOR, "fail", new JsonObject().put("queue", "manager").put("id", claimed.getLong("id"))
        .put("receipt", claimed.getString("receipt")).put("error", "disk full").put("retry_in_ms", 0));
    open("/queues/manager?state=ready&limit=2", By.cssSelector("tr[data-id]"));
    assertEquals(2, shownIds().size());
    next("next-page");
    assertEquals(1, shownIds().size());
    open("/queues/manager?state=scheduled", By.cssSelector("tr[data-id]"));
    assertEquals("later", driver.findElement(By.cssSelector("tr[data-id] td[data-field='name']")).getText());
    open("/queues/manager?state=ready", By.cssSelector("tr[data-id]"));
    assertEquals(3, driver.findElements(By.cssSelector("tr[data-id]")).size());
    shot("jobs");
    String id = String.valueOf(claimed.getLong("id"));
    driver.findElement(By.linkText(id)).sendKeys(Keys.ENTER);
    await(By.id("job-fields"));
    assertEquals("m0", driver.findElement(By.cssSelector("#job-fields dd[data-field='name']")).getText());
    assertEquals("ready", driver.findElement(By.cssSelector("#job-fields dd[data-field='state']")).getText());
    assertEquals("disk full", await(By.cssSelector("#deliveries tr[data-attempt='1'] td[data-field='error']")).getText());
    assertEquals("failed", driver.findElement(By.cssSelector("#deliveries tr[data-attempt='1'] td[data-field='outcome']")).getText());
    assertEquals("piri-db show manager " + id, driver.findElement(By.id("cli-command")).getText());
    assertTrue(driver.findElements(By.id("payload-text")).isEmpty(), "the payload is redacted");
    shot("job");

    List<Long> dead = deadLetters("replication", StoreId.REPLICATOR, 1);
    long jobId = call(StoreId.REPLICATOR, "dead-list", new JsonObject().put("queue", "replication")).getJsonArray("jobs")
        .getJsonObject(0).getLong("job_id");
    open("/queues/replication/jobs/" + jobId, By.id("job-fields"));
    assertEquals("dead", driver.findElement(By.cssSelector("#job-fields dd[data-field='state']")).getText());
    assertEquals("permanent_error", driver.findElement(By.cssSelector("#job-fields dd[data-field='reason']")).getText());
    assertEquals("dead lettered", await(By.cssSelector("#deliveries tr[data-attempt='1'] td[data-field='outcome']")).getText());
    assertEquals("piri-db dead requeue replication " + dead.get(0), driver.findElement(By.id("cli-command")).getText());
  }

  /** The queue screen draws its charts from the rollups: each chart has a line with points. */
  @Test
  void aQueuesChartsAreDrawnFromItsRollups() throws Exception {
    deadLetters("replication", StoreId.REPLICATOR, 3);
    call(StoreId.REPLICATOR, "enqueue", new JsonObject().put("queue", "replication").put("name", "n").put("payload", 1));
    long minute = clock.now() - Math.floorMod(clock.now(), 60_000L);
    clock.advanceTo(minute + 60_001);
    open("/queues/replication", By.cssSelector("svg[data-chart='throughput']"));
    for (String chart : List.of("throughput", "failures", "dead", "lag", "claim")) {
      WebElement svg = driver.findElement(By.cssSelector("svg[data-chart='" + chart + "']"));
      assertTrue(Integer.parseInt(svg.getAttribute("data-points")) > 0, chart);
      assertFalse(svg.findElements(By.cssSelector("path.line, circle.dot")).isEmpty(), chart + " draws a line");
    }
    assertEquals("1", driver.findElement(By.id("charts")).getAttribute("data-minutes"));
    assertTrue(driver.findElement(By.cssSelector("svg[data-chart='dead']")).getAttribute("aria-label").contains("dead: max 3"),
        driver.findElement(By.cssSelector("svg[data-chart='dead']")).getAttribute("aria-label"));
    shot("queue-charts");
    driver.findElement(By.cssSelector("button[data-window='day']")).sendKeys(Keys.ENTER);
    waiting().until(d -> "day".equals(d.findElement(By.id("charts")).getAttribute("data-window")));
    assertEquals("true", driver.findElement(By.cssSelector("button[data-window='day']")).getAttribute("aria-pressed"));
    assertEquals("1", driver.findElement(By.id("charts")).getAttribute("data-minutes"));
  }

  @Test
  void schedulerShowsTasksByTypeAndStateAndFailedHistory() throws Exception {
    call(StoreId.SCHEDULER, "task-add", new JsonObject().put("name", "PDPProve"));
    call(StoreId.SCHEDULER, "task-add", new JsonObject().put("name", "PDPProve"));
    String session = call(StoreId.SCHEDULER, "session-open", new JsonObject().put("name", "w1")).getString("session");
    JsonArray tasks = call(StoreId.SCHEDULER, "task-claim", new JsonObject().put("session", session)
        .put("names", new JsonArray().add("PDPProve")).put("max", 1)).getJsonArray("tasks");
    long now = System.currentTimeMillis();
    call(StoreId.SCHEDULER, "task-complete", new JsonObject().put("id", tasks.getJsonObject(0).getLong("id")).put("session", session)
        .put("outcome", "failed").put("error", "chain timeout").put("work_start", now - 5).put("work_end", now));
    open("/scheduler", By.cssSelector("tr[data-task='PDPProve']"));
    JsonObject stats = call(StoreId.SCHEDULER, "task-stats", new JsonObject());
    for (String type : stats.fieldNames()) {
      for (String k : List.of("runnable", "waiting", "running")) {
        String shown = driver.findElement(By.cssSelector("tr[data-task='" + type + "'] td[data-field='" + k + "']")).getText();
        assertEquals(stats.getJsonObject(type).getLong(k), number(shown), type + "." + k);
      }
    }
    WebElement failed = driver.findElement(By.cssSelector("tr.failed"));
    assertTrue(failed.getText().contains("chain timeout"), failed.getText());
    assertEquals("w1", driver.findElement(By.cssSelector("tr[data-session='" + session + "'] td[data-field='name']")).getText());
    assertEquals("0", driver.findElement(By.cssSelector("tr[data-session='" + session + "'] td[data-field='tasks']")).getText());
    shot("scheduler");
  }

  @Test
  void pdpShowsEachProofSetsStateAsPsStateReportsIt() throws Exception {
    createProofSet(7, String.format("0x%064x", 7));
    createProofSet(8, String.format("0x%064x", 8));
    JsonObject root = new JsonObject().put("root", "baga6ea4seaqrootaaaaaaab").put("subroot", "baga6ea4seaqrootaaaaaaab")
        .put("subroot_offset", 0).put("subroot_size", 128).put("add_message_index", 0);
    call(StoreId.SCHEDULER, "roots-record-add", new JsonObject().put("proofset_id", 8).put("add_message_hash", String.format("0x%064x", 80))
        .put("rows", new JsonArray().add(root)));
    open("/pdp", By.cssSelector("tr[data-proofset='8']"));
    for (long id : new long[] {7, 8}) {
      String state = call(StoreId.SCHEDULER, "ps-state", new JsonObject().put("proofset_id", id)).getString("state");
      assertEquals(state, text(By.cssSelector("tr[data-proofset='" + id + "'] td[data-field='state']")));
    }
    assertEquals("init_ready", text(By.cssSelector("tr[data-proofset='8'] td[data-field='state']")));
    assertEquals("1", text(By.cssSelector("tr[data-proofset='8'] td[data-field='pending_messages']")));
    assertEquals("0", text(By.cssSelector("tr[data-proofset='7'] td[data-field='pending_messages']")));
    shot("pdp");
    waiting().ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(d -> { d.findElement(By.linkText("8")).sendKeys(Keys.ENTER); return true; });
    assertEquals("init_ready", text(By.cssSelector("#proofset-fields dd[data-field='state']")));
    await(By.cssSelector("#timeline tr[data-event]"));
    assertEquals(List.of("created", "roots_add", "init_ready"), waiting().ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(d -> d.findElements(By.cssSelector("#timeline tr[data-event] td[data-field='kind']")).stream().map(WebElement::getText).toList()));
    shot("proofset");
  }

  /**
   * An element's text. The PDP screens render again on each proof-set event, and the events of
   * this test's own changes may arrive after the screen first showed: a read retries then.
   */
  private String text(By by) {
    return waiting().ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> d.findElement(by).getText());
  }

  private void createProofSet(long id, String hash) throws Exception {
    call(StoreId.SCHEDULER, "ps-record-create", new JsonObject().put("create_message_hash", hash));
    call(StoreId.SCHEDULER, "msg-confirm", new JsonObject().put("signed_tx_hash", hash).put("block_number", 100).put("success", true)
        .put("receipt", new JsonObject().put("status", 1)).put("tx", new JsonObject().put("hash", hash)));
    call(StoreId.SCHEDULER, "ps-materialize", new JsonObject().put("create_message_hash", hash).put("proofset_id", id)
        .put("proving_period", 2880).put("challenge_window", 20));
  }

  @Test
  void nodeShowsBackendAndEachStoresSchemaVersionAndAuditShowsWhoChangedWhat() throws Exception {
    List<Long> dead = deadLetters("replication", StoreId.REPLICATOR, 2);
    assertEquals(200, post("api/queues/replication/dead/purge", operator, new JsonObject().put("ids", new JsonArray().add(dead.get(0))))
        .statusCode());
    login(admin, "admin");
    open("/node", By.cssSelector("tr[data-store='scheduler']"));
    assertEquals(backendName(), driver.findElement(By.cssSelector("#node-fields dd[data-field='backend']")).getText());
    for (StoreId s : StoreId.values()) {
      JsonObject ping = call(s, "ping", new JsonObject());
      assertEquals(ping.getString("schema_version"),
          driver.findElement(By.cssSelector("tr[data-store='" + s.id() + "'] td[data-field='schema_version']")).getText());
    }
    String where = driver.findElement(By.id("node-fields")).getText();
    if (config.postgres().url() != null) {
      assertTrue(where.contains(config.postgres().maskedUrl()), where);
      String password = io.piri.db.config.PostgresUrl.credentials(config.postgres().url()).getProperty("password");
      if (password != null && !password.isEmpty()) assertFalse(where.contains(":" + password + "@"), "the password is masked");
    } else {
      assertTrue(where.contains(config.dataDir().toAbsolutePath().toString()), where);
    }
    assertNotNull(driver.findElement(By.cssSelector("button[data-revoke='vera']")));
    shot("node");
    WebElement row = open("/audit?store=replicator", By.cssSelector("tr[data-audit]"));
    assertEquals("otto", row.findElement(By.cssSelector("td[data-field='actor']")).getText());
    assertEquals("dead-purge", row.findElement(By.cssSelector("td[data-field='action']")).getText());
    assertEquals("1", row.findElement(By.cssSelector("td[data-field='affected']")).getText());
    shot("audit");
  }

  @Test
  void aLoginCookieIsHttpOnlyAndStrictAndAHiddenTabStopsListening() throws Exception {
    login(viewer, "viewer");
    Cookie c = driver.manage().getCookieNamed(Auth.COOKIE);
    assertNotNull(c);
    assertTrue(c.isHttpOnly());
    assertEquals("Strict", c.getSameSite());
    assertFalse(String.valueOf(js("return document.cookie")).contains(Auth.COOKIE), "scripts cannot read the login");
    waiting().until(d -> "open".equals(js("return window.piriConsole.events.value")));
    awaitStreams(1);
    js("Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
        + "document.dispatchEvent(new Event('visibilitychange'));");
    awaitStreams(0);
    assertEquals("paused", js("return window.piriConsole.events.value"));
    js("Object.defineProperty(document, 'visibilityState', {value: 'visible', configurable: true});"
        + "document.dispatchEvent(new Event('visibilitychange'));");
    awaitStreams(1);
    shot("login-overview");
    open("/login", By.id("login-form"));
    shot("login");
    assertEquals(1, driver.manage().getCookies().size(), "the login cookie is all the browser keeps");
  }

  /** Submits the search form from the keyboard (Enter in its last field) and waits for its results. */
  private List<WebElement> searchFor(String kind, String... values) {
    Object before = js("return document.body.dataset.renders");
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("search-kind"))).selectByValue(kind);
    List<WebElement> inputs = driver.findElements(By.cssSelector("#search-fields input"));
    assertEquals(values.length, inputs.size(), kind);
    for (int i = 0; i < values.length; i++) {
      inputs.get(i).clear();
      inputs.get(i).sendKeys(values[i]);
    }
    inputs.get(values.length - 1).sendKeys(Keys.ENTER);
    // Live events may render the screen again meanwhile: wait for this search's rows or its error.
    waiting().until(d -> !String.valueOf(before).equals(String.valueOf(js("return document.body.dataset.renders")))
        && (!d.findElements(By.cssSelector("#search-results tr[data-id]")).isEmpty() || !d.findElements(By.id("search-error")).isEmpty()));
    return driver.findElements(By.cssSelector("#search-results tr[data-id]"));
  }

  @Test
  void eachKindOfSearchRunsFromTheSearchScreen() throws Exception {
    stopServer(server);
    server = startServer(thisNodeWith(new JsonObject().put("queues", new JsonObject()
        .put("manager", new JsonObject().put("search_fields", new JsonArray().add("$.piece")))))
        .withHttpPort(config.http().port()));
    long t0 = clock.now();
    List<Long> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "add_roots")
          .put("payload", new JsonObject().put("piece", "p" + i))).getLong("id"));
    }
    JsonObject first = call(StoreId.AGGREGATOR, "claim", new JsonObject().put("queue", "manager")).getJsonArray("jobs").getJsonObject(0);
    call(StoreId.AGGREGATOR, "fail", new JsonObject().put("queue", "manager").put("id", first.getLong("id"))
        .put("receipt", first.getString("receipt")).put("error", "timeout: upstream").put("permanent", true));
    long keyed = call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "aggregator").put("name", "aggregate_piece")
        .put("payload", 1).put("dedupe_key", "k1")).getLong("id");

    open("/queues/manager", By.id("search-link")).click();
    await(By.id("search-form"));
    List<WebElement> rows = searchFor("name", "add_roots");
    assertEquals(3, rows.size(), String.valueOf(js("return document.querySelector('main') ? document.querySelector('main').innerText : document.body.innerText")));
    assertEquals(String.valueOf(ids.get(0)), rows.get(2).getAttribute("data-id"), "the dead letter comes last");
    assertEquals("dead", rows.get(2).getAttribute("data-state"));
    assertTrue(driver.findElement(By.id("search-window")).getText().contains("at most 50"), "the window is labelled");
    shot("search");
    rows = searchFor("id", String.valueOf(ids.get(1)));
    assertEquals(List.of(String.valueOf(ids.get(1))), rows.stream().map(r -> r.getAttribute("data-id")).toList());
    rows = searchFor("error_prefix", "timeout");
    assertEquals(List.of(String.valueOf(ids.get(0))), rows.stream().map(r -> r.getAttribute("data-id")).toList());
    rows = searchFor("payload", "$.piece", "p2");
    assertEquals(List.of(String.valueOf(ids.get(2))), rows.stream().map(r -> r.getAttribute("data-id")).toList());
    rows = searchFor("time", String.valueOf(t0), "2100-01-01T00:00:00Z");
    assertEquals(3, rows.size());
    searchFor("payload", "$.other", "1");
    assertTrue(await(By.id("search-error")).getText().contains("queues.manager.search_fields"), "the refusal names the key");
    open("/queues/aggregator/search", By.id("search-form"));
    rows = searchFor("dedupe_key", "aggregate_piece", "k1");
    assertEquals(List.of(String.valueOf(keyed)), rows.stream().map(r -> r.getAttribute("data-id")).toList());
  }

  /** The bulk section's progress text: "Operation <id>: <op> <state>, <done> of <matching> done". */
  private String bulkText() {
    // Read in one step: the page replaces the element at every update.
    return String.valueOf(js("const e = document.getElementById('bulk-text'); return e ? e.textContent : '';"));
  }

  private void confirmTyping(String word) {
    await(By.id("confirm-dialog"));
    driver.switchTo().activeElement().sendKeys(word);
    driver.switchTo().activeElement().sendKeys(Keys.TAB, Keys.TAB);
    assertEquals("confirm-ok", driver.switchTo().activeElement().getAttribute("id"));
    driver.switchTo().activeElement().sendKeys(Keys.ENTER);
  }

  /** Bulk requeue's dead letters: as many as a busy queue may gather after an outage. */
  private static final int BULK = 100_000;

  /** The node's clock, counting the one-shot timers it sets: a bulk batch sets its pause when it commits. */
  private WatchedClock timers;

  @Override
  protected Clock serverClock(Vertx v) {
    timers = new WatchedClock(clock, delay -> true);
    return timers;
  }

  private JsonObject bulkStatus(long id) throws Exception {
    return call(StoreId.REPLICATOR, "bulk-status", new JsonObject().put("operation", id));
  }

  private JsonObject replicationStats() throws Exception {
    return call(StoreId.REPLICATOR, "stats", new JsonObject()).getJsonObject("queues").getJsonObject("replication");
  }

  /**
   * Lets operation {@code id} run to its end: each step moves time past the pause the last batch
   * set (four times the batch's time: a second covers it), then waits until the node sets a timer
   * again, as the next batch does when it commits, so that no step is wasted and none waits long.
   * No timer within 200 ms: the operation ended, or the pause was longer than a step.
   */
  private JsonObject runToEnd(long id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      assertTrue(System.nanoTime() < deadline, "operation " + id + " still runs");
      long set = timers.count();
      clock.advance(1_000);
      if (timers.awaitCount(set + 1, Duration.ofMillis(200))) continue;
      JsonObject st = bulkStatus(id);
      if (!st.getString("state").equals("running")) return st;
    }
  }

  @Test
  void anOperatorRequeuesAll100kMatchingWithProgressCancelsAndFinishesWithASecondOne() throws Exception {
    // Written behind the store's back while the node is stopped; it starts again on the same
    // data_dir, with the same tokens.
    stopServer(server);
    DeadLetterSeed.write(backend(), config, StoreId.REPLICATOR, "replication", BULK, clock.now());
    server = startServer(config);
    assertEquals(BULK, replicationStats().getLong("dead"));
    login(viewer, "viewer");
    open("/queues/replication/dead", By.cssSelector("tr[data-id]"));
    assertFalse(driver.findElement(By.id("bulk-requeue")).isEnabled(), "a viewer cannot start one");

    driver.findElement(By.id("logout")).click();
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "read-only"));
    login(operator, "operator");
    open("/queues/replication/dead", By.cssSelector("tr[data-id]"));
    WebElement requeue = driver.findElement(By.id("bulk-requeue"));
    assertEquals("Requeue all 100,000 matching…", requeue.getText());
    requeue.sendKeys(Keys.ENTER);
    confirmTyping("replication");
    // The first batch runs at once; the next waits for its pause, which the test clock holds.
    waiting().until(d -> bulkText().contains("running, 100 of 100,000 done"));
    assertEquals("100", driver.findElement(By.id("bulk-bar")).getAttribute("value"));
    assertFalse(driver.findElement(By.id("bulk-requeue")).isEnabled(), "one operation at a time from this screen");
    shot("bulk-progress");
    long id = Long.parseLong(bulkText().replaceAll("^Operation (\\d+):.*", "$1"));
    // More batches, one clock step at a time until one ran (its pause is the measured batch time
    // four times over); the page follows them without a reload. Batches start at 100 rows and at
    // most double: a step that let a few go leaves most of the rows to cancel.
    long done = 100;
    while (done == 100) {
      clock.advance(100);
      done = bulkStatus(id).getLong("done");
    }
    assertTrue(done > 100 && done < BULK / 10, "more batches, few of all: " + done);
    waiting().until(d -> bulkText().matches(".* running, [\\d,]+ of 100,000 done") && !bulkText().contains(", 100 of"));

    // A batch the last step let go may still be committing: what the cancel reports is final.
    driver.findElement(By.id("bulk-cancel")).sendKeys(Keys.ENTER);
    waiting().until(d -> bulkText().contains(" cancelled, "));
    JsonObject cancelled = bulkStatus(id);
    assertEquals("cancelled", cancelled.getString("state"));
    done = cancelled.getLong("done");
    assertTrue(done > 100 && done < BULK / 10, "cancelled part way: " + done);
    assertTrue(bulkText().endsWith("cancelled, " + String.format(Locale.ROOT, "%,d of 100,000 done", done)), bulkText());
    clock.advance(10_000);
    JsonObject stats = replicationStats();
    assertEquals(BULK - done, stats.getLong("dead"));
    assertEquals(done, stats.getLong("ready"));
    JsonObject firstLeft = call(StoreId.REPLICATOR, "dead-list", new JsonObject().put("queue", "replication").put("limit", 1))
        .getJsonArray("jobs").getJsonObject(0);
    assertEquals(done + 1, firstLeft.getLong("job_id"), "the batches took the dead letters in order, and stopped");
    assertTrue(driver.findElement(By.id("bulk-requeue")).isEnabled());

    // A second requeue, of what is left, by a filter that matches all of it: to the end, and the
    // page reads its rows again.
    long left = BULK - done;
    String leftText = String.format(Locale.ROOT, "%,d", left);
    open("/queues/replication/dead", By.cssSelector("tr[data-id]"));
    requeue = driver.findElement(By.id("bulk-requeue"));
    assertEquals("Requeue all " + leftText + " matching…", requeue.getText());
    driver.findElement(By.id("bulk-error-prefix")).sendKeys("boom job-");
    assertEquals("Requeue all matching…", requeue.getText());
    assertEquals("Purge all matching…", driver.findElement(By.id("bulk-purge")).getText());
    requeue.sendKeys(Keys.ENTER);
    confirmTyping("replication");
    waiting().until(d -> bulkText().contains("running, 100 of " + leftText + " done"));
    long second = Long.parseLong(bulkText().replaceAll("^Operation (\\d+):.*", "$1"));
    JsonObject end = runToEnd(second);
    assertEquals("done", end.getString("state"));
    assertEquals(left, end.getLong("done"));
    waiting().until(d -> bulkText().contains("done, " + leftText + " of " + leftText + " done"));
    await(By.xpath("//p[text()='No dead letters.']"));
    stats = replicationStats();
    assertEquals(0, stats.getLong("dead"));
    assertEquals(BULK, stats.getLong("ready"));
  }
}
