package io.piri.db.config;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One job queue: the store that holds it, how its jobs are retried (contract §5), and the payload
 * fields its jobs can be searched by ({@code search_fields}: JSON paths, extracted at enqueue).
 */
public record QueueConfig(
    String name,
    String store,
    int maxAttempts,
    Duration lease,
    boolean dedupe,
    boolean blockRepeatsOnDead,
    Duration backoffBase,
    Duration backoffMax,
    List<String> searchFields) {

  /**
   * A search path: {@code $} (the whole payload, e.g. one CID link) then up to 16 steps, object
   * keys ({@code .key}) and array positions ({@code [0]}).
   */
  public static final Pattern SEARCH_PATH = Pattern.compile("\\$(\\.[A-Za-z0-9_-]{1,64}|\\[[0-9]{1,4}]){0,16}");

  public QueueConfig(String name, String store, int maxAttempts, Duration lease, boolean dedupe, boolean blockRepeatsOnDead,
                     Duration backoffBase, Duration backoffMax) {
    this(name, store, maxAttempts, lease, dedupe, blockRepeatsOnDead, backoffBase, backoffMax, List.of());
  }
}
