package io.piri.db.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.support.Cli;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code piri-db token create|list|revoke} on a node's data_dir, running or not. */
class TokenCommandTest {
  @TempDir Path tmp;

  private Path config() throws Exception {
    Path c = tmp.resolve("piri-db.json");
    Files.writeString(c, new JsonObject().put("repo", new JsonObject().put("data_dir", tmp.resolve("data").toString())).encode());
    return c;
  }

  @Test
  void createPrintsTheTokenOnceAndKeepsOnlyItsHash() throws Exception {
    Path c = config();
    Cli.Result r = Cli.run("token", "create", "--config", c.toString(), "--name", "ops-1", "--role", "operator");
    assertEquals(0, r.code(), r.toString());
    String token = r.out().trim();
    assertTrue(token.startsWith("pdbc_") && token.length() > 40, token);
    Path file = tmp.resolve("data").resolve(TokenFile.FILE_NAME);
    String stored = Files.readString(file);
    assertFalse(stored.contains(token), "the file holds no token");
    assertTrue(stored.contains(TokenFile.sha256(token)));
    assertFalse(r.err().contains(token), "the token is printed on stdout only, once");
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    try (var files = Files.list(file.getParent())) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file is left");
    }

    Cli.Result list = Cli.run("token", "list", "--config", c.toString(), "--json");
    assertEquals(0, list.code(), list.toString());
    JsonObject entry = new JsonObject(list.out()).getJsonArray("tokens").getJsonObject(0);
    assertEquals("ops-1", entry.getString("name"));
    assertEquals("operator", entry.getString("role"));
    assertFalse(entry.containsKey("sha256"), "list shows no hash");
    assertFalse(list.out().contains(token));
    assertTrue(Cli.run("token", "list", "--config", c.toString()).out().contains("ops-1"));

    assertEquals(Role.OPERATOR, new TokenFile(tmp.resolve("data")).list().get(0).role());
    Cli.Result revoke = Cli.run("token", "revoke", "--config", c.toString(), "ops-1");
    assertEquals(0, revoke.code(), revoke.toString());
    assertTrue(new TokenFile(tmp.resolve("data")).list().isEmpty());
  }

  @Test
  void badRolesNamesAndRepeatsAreRefusedWithExit2() throws Exception {
    Path c = config();
    assertEquals(2, Cli.run("token", "create", "--config", c.toString(), "--name", "a", "--role", "root").code());
    assertEquals(2, Cli.run("token", "create", "--config", c.toString(), "--name", "a b", "--role", "viewer").code());
    assertEquals(0, Cli.run("token", "create", "--config", c.toString(), "--name", "a", "--role", "viewer").code());
    Cli.Result again = Cli.run("token", "create", "--config", c.toString(), "--name", "a", "--role", "admin");
    assertEquals(2, again.code(), again.toString());
    assertTrue(again.err().contains("'a'"), again.err());
    assertEquals(2, Cli.run("token", "revoke", "--config", c.toString(), "nobody").code());
    assertEquals(1, new TokenFile(tmp.resolve("data")).list().size());
  }
}
