package io.piri.db.client;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/** A request a store refused or could not answer: the protocol's code, error name and detail. */
public final class StoreException extends RuntimeException {
  private final int code;
  private final String error;

  public StoreException(int code, String error, String detail) {
    super(error + ": " + detail);
    this.code = code;
    this.error = error;
  }

  public int code() {
    return code;
  }

  public String error() {
    return error;
  }

  /** True for 503 and for requests nobody answered: worth retrying later. */
  public boolean unavailable() {
    return code == 503;
  }

  static Throwable from(Throwable t) {
    if (!(t instanceof ReplyException re)) return t;
    if (re.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
      return new StoreException(503, "unavailable", re.failureType() == ReplyFailure.NO_HANDLERS
          ? "no store is listening" : "no reply in time");
    }
    String text = String.valueOf(re.getMessage());
    int colon = text.indexOf(": ");
    return colon > 0
        ? new StoreException(re.failureCode(), text.substring(0, colon), text.substring(colon + 2))
        : new StoreException(re.failureCode(), "internal", text);
  }
}
