package io.piri.db.bus;

/** The failure codes of the event-bus protocol (docs/event-bus.md). */
public enum ErrorCode {
  INVALID_ARGUMENT(400, "invalid_argument"),
  NOT_FOUND(404, "not_found"),
  CONFLICT(409, "conflict"),
  INTERNAL(500, "internal"),
  UNAVAILABLE(503, "unavailable");

  public final int code;
  public final String error;

  ErrorCode(int code, String error) {
    this.code = code;
    this.error = error;
  }

  public static ErrorCode of(int code) {
    for (ErrorCode c : values()) {
      if (c.code == code) return c;
    }
    return INTERNAL;
  }
}
