package io.piri.db.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md names every key the code knows, so that it cannot fall behind. */
class ConfigDocsTest {
  @Test
  void everyKeyIsDocumented() throws Exception {
    String doc = Files.readString(Path.of("docs/configuration.md"));
    for (ConfigKey k : ConfigKeys.ALL) {
      assertTrue(doc.contains("`" + k.path() + "`"), "docs/configuration.md does not mention " + k.path());
    }
    for (MapSection m : ConfigKeys.MAPS) {
      assertTrue(doc.contains(m.path()), "docs/configuration.md does not mention " + m.path());
      for (ConfigKey f : m.fields()) {
        assertTrue(doc.contains("`" + f.path() + "`"), "docs/configuration.md does not mention " + m.path() + "." + f.path());
      }
    }
  }
}
