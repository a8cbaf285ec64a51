package io.piri.db.adopt;

import java.util.regex.Pattern;

/** SQL cannot bind a table or schema name: the few statements that need one name it {@code {x}}. */
final class Sql {
  private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]*");

  private Sql() {}

  /** {@code text} with {@code {placeholder}} replaced by {@code name}, which must be a plain lower-case identifier. */
  static String withIdentifier(String text, String placeholder, String name) {
    if (!PLAIN.matcher(name).matches()) throw new IllegalArgumentException("not a plain identifier: '" + name + "'");
    return text.replace("{" + placeholder + "}", name);
  }
}
