package io.piri.db.console;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The console's files: small, self-contained, no script or style from anywhere else. */
class ConsoleAssetsTest {
  private static final Path ROOT = Path.of("src/main/resources/console");

  private static List<Path> files() throws Exception {
    try (var s = Files.walk(ROOT)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void everythingTogetherIsAtMost300KbGzipped() throws Exception {
    long total = 0;
    for (Path f : files()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(Files.readAllBytes(f));
      }
      total += out.size();
    }
    assertTrue(total <= 300 * 1024, "gzipped size " + total);
  }

  @Test
  void nothingIsLoadedFromElsewhereAndNoScriptIsInline() throws Exception {
    Pattern remote = Pattern.compile("(src|href)\\s*=\\s*[\"']?(https?:)?//|import\\s+[^;]*from\\s+['\"]https?:|url\\(\\s*['\"]?https?:");
    for (Path f : files()) {
      String text = Files.readString(f);
      assertFalse(remote.matcher(text).find(), f + " loads something from another origin");
      if (f.toString().endsWith(".html")) {
        assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(text).find(), f + " has an inline script");
        assertFalse(text.contains(" on") && Pattern.compile("\\son[a-z]+=").matcher(text).find(), f + " has an inline handler");
      }
    }
  }
}
