package io.piri.db.cluster;

import io.piri.db.config.ConfigException;
import io.piri.db.config.ConfigKeys;
import io.piri.db.config.PiriConfig;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;

/**
 * The {@code cluster.tls} stores, opened once before the member starts, so that a wrong path or
 * password stops the start with exit 2 naming its key instead of failing the first connection.
 * Messages name files, never passwords.
 */
final class ClusterTls {
  private ClusterTls() {}

  static void check(PiriConfig.Tls tls) {
    KeyStore keys = open(tls.keyStore(), tls.keyStorePassword(), ConfigKeys.CLUSTER_TLS_KEY_STORE,
        ConfigKeys.CLUSTER_TLS_KEY_STORE_PASSWORD);
    boolean hasKey = false;
    try {
      for (String alias : Collections.list(keys.aliases())) {
        if (!keys.isKeyEntry(alias)) continue;
        hasKey = true;
        keys.getKey(alias, password(tls.keyStorePassword()));
      }
    } catch (UnrecoverableKeyException e) {
      throw new ConfigException(ConfigKeys.CLUSTER_TLS_KEY_STORE_PASSWORD,
          "does not unlock the private key in '" + tls.keyStore() + "'");
    } catch (GeneralSecurityException e) {
      throw new ConfigException(ConfigKeys.CLUSTER_TLS_KEY_STORE, "'" + tls.keyStore() + "': " + e.getMessage());
    }
    if (!hasKey) {
      throw new ConfigException(ConfigKeys.CLUSTER_TLS_KEY_STORE, "'" + tls.keyStore() + "' holds no private key");
    }
    KeyStore trust = open(tls.trustStore(), tls.trustStorePassword(), ConfigKeys.CLUSTER_TLS_TRUST_STORE,
        ConfigKeys.CLUSTER_TLS_TRUST_STORE_PASSWORD);
    try {
      if (Collections.list(trust.aliases()).stream().noneMatch(a -> isCertificate(trust, a))) {
        throw new ConfigException(ConfigKeys.CLUSTER_TLS_TRUST_STORE, "'" + tls.trustStore() + "' holds no trusted certificate");
      }
    } catch (GeneralSecurityException e) {
      throw new ConfigException(ConfigKeys.CLUSTER_TLS_TRUST_STORE, "'" + tls.trustStore() + "': " + e.getMessage());
    }
  }

  /** The key store as Vert.x options (PKCS#12; the JDK reads JKS files through the same type). */
  static PfxOptions keyStore(PiriConfig.Tls tls) {
    return new PfxOptions().setPath(tls.keyStore()).setPassword(orEmpty(tls.keyStorePassword()));
  }

  static PfxOptions trustStore(PiriConfig.Tls tls) {
    return new PfxOptions().setPath(tls.trustStore()).setPassword(orEmpty(tls.trustStorePassword()));
  }

  static String orEmpty(String password) {
    return password == null ? "" : password;
  }

  private static char[] password(String password) {
    return orEmpty(password).toCharArray();
  }

  private static boolean isCertificate(KeyStore store, String alias) {
    try {
      return store.isCertificateEntry(alias);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static KeyStore open(String file, String password, String key, String passwordKey) {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password(password));
      return store;
    } catch (NoSuchFileException e) {
      throw new ConfigException(key, "no such file '" + file + "'");
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new ConfigException(passwordKey, "does not open '" + file + "'");
      }
      throw new ConfigException(key, "cannot read '" + file + "' as a PKCS#12 store: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new ConfigException(key, "cannot read '" + file + "' as a PKCS#12 store: " + e.getMessage());
    }
  }
}
