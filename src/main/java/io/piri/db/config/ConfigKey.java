package io.piri.db.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** One configuration key: its dotted path, its type, its default and what it means. */
public record ConfigKey(String path, Type type, Object defaultValue, String doc) {

  public enum Type { STRING, INT, BOOL, DURATION, LIST, BACKEND }

  /** The environment variable that overrides this key: PIRI_ + path upper-cased, '.' as '_'. */
  public String envName() {
    return "PIRI_" + path.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** Converts a JSON value from the file to this key's type, or names the problem. */
  public Object convert(Object raw) {
    return convert(raw, false);
  }

  /**
   * Converts a value to this key's type. Environment values are always text, so only they may
   * spell numbers, booleans and lists as strings.
   */
  public Object convert(Object raw, boolean fromEnv) {
    if (raw == null) {
      if (defaultValue == null) return null;
      throw new ConfigException(path, "must not be null");
    }
    boolean fromText = raw instanceof String;
    if (fromText && !fromEnv && (type == Type.INT || type == Type.BOOL || type == Type.LIST)) {
      throw wrongType(type == Type.INT ? "an integer" : type == Type.BOOL ? "true or false" : "a list of strings", raw);
    }
    switch (type) {
      case STRING:
        if (!fromText) throw wrongType("a string", raw);
        return raw;
      case BACKEND:
        if (!fromText) throw wrongType("\"sqlite\" or \"postgres\"", raw);
        try {
          return BackendType.parse(((String) raw).isEmpty() ? "sqlite" : (String) raw);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(path, e.getMessage());
        }
      case INT:
        return toInt(raw);
      case BOOL:
        if (raw instanceof Boolean) return raw;
        if (fromText && (raw.equals("true") || raw.equals("false"))) return Boolean.valueOf((String) raw);
        throw wrongType("true or false", raw);
      case DURATION:
        if (!fromText) throw wrongType("a duration string such as \"30s\" or \"1h30m\"", raw);
        try {
          return Durations.parse((String) raw);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(path, e.getMessage());
        }
      case LIST:
        if (fromText) {
          String s = ((String) raw).trim();
          return s.isEmpty() ? List.of() : Arrays.stream(s.split(",")).map(String::trim).toList();
        }
        if (raw instanceof io.vertx.core.json.JsonArray arr) {
          for (Object o : arr) {
            if (!(o instanceof String)) throw wrongType("a list of strings", raw);
          }
          return arr.getList().stream().map(String.class::cast).toList();
        }
        throw wrongType("a list of strings", raw);
      default:
        throw new IllegalStateException(type.name());
    }
  }

  private int toInt(Object raw) {
    if (raw instanceof Integer || raw instanceof Long) {
      long v = ((Number) raw).longValue();
      if (v < 0) throw new ConfigException(path, "must not be negative, got " + v);
      if (v > Integer.MAX_VALUE) throw new ConfigException(path, "is too large, got " + v);
      return (int) v;
    }
    if (raw instanceof String s) {
      try {
        return toInt(Long.parseLong(s.trim()));
      } catch (NumberFormatException e) {
        throw wrongType("an integer", raw);
      }
    }
    throw wrongType("an integer", raw);
  }

  private ConfigException wrongType(String expected, Object raw) {
    String shown = raw instanceof String ? "\"" + raw + "\"" : String.valueOf(raw);
    return new ConfigException(path, "must be " + expected + ", got " + shown);
  }

  static ConfigKey string(String path, String def, String doc) {
    return new ConfigKey(path, Type.STRING, def, doc);
  }

  static ConfigKey integer(String path, int def, String doc) {
    return new ConfigKey(path, Type.INT, def, doc);
  }

  static ConfigKey duration(String path, String def, String doc) {
    return new ConfigKey(path, Type.DURATION, def == null ? null : Durations.parse(def), doc);
  }
}
