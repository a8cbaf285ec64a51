package io.piri.db.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Properties;

/** Reads Piri's postgres:// URL and turns it into what JDBC (for Flyway) needs. */
public final class PostgresUrl {
  private PostgresUrl() {}

  static void validate(String key, String url) {
    URI uri = parse(key, url);
    if (uri.getHost() == null) throw new ConfigException(key, "has no host: " + mask(url));
    if (uri.getPath() == null || uri.getPath().length() < 2) {
      throw new ConfigException(key, "names no database: " + mask(url));
    }
  }

  private static URI parse(String key, String url) {
    if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
      throw new ConfigException(key, "must start with postgres:// or postgresql://, got " + mask(url));
    }
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigException(key, "is not a valid URL: " + mask(url));
    }
  }

  /** The URL with any password replaced by ***. */
  public static String mask(String url) {
    if (url == null) return null;
    return url.replaceFirst("(?i)^([a-z][a-z0-9+.-]*://[^:/@?#]*):[^/?#]*@", "$1:***@")
        .replaceAll("(?i)([?&]password=)[^&#]*", "$1***");
  }

  /** jdbc:postgresql://host:port/db?query, for Flyway. */
  public static String jdbcUrl(String url) {
    URI uri = parse("repo.database.postgres.url", url);
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return "jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath() + query;
  }

  /** user and password from the URL, as JDBC properties. */
  public static Properties credentials(String url) {
    URI uri = parse("repo.database.postgres.url", url);
    Properties p = new Properties();
    String info = uri.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      p.setProperty("user", decode(colon < 0 ? info : info.substring(0, colon)));
      if (colon >= 0) p.setProperty("password", decode(info.substring(colon + 1)));
    }
    return p;
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
  }
}
