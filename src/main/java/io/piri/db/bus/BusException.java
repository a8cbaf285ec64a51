package io.piri.db.bus;

/** A request that fails with one of the protocol's codes; the detail names the field at fault. */
public final class BusException extends RuntimeException {
  private final ErrorCode code;

  public BusException(ErrorCode code, String detail) {
    super(detail, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  /** The failure text sent on the bus: {@code <error>: <detail>}. */
  public String wireText() {
    return code.error + ": " + getMessage();
  }

  public static BusException invalid(String detail) {
    return new BusException(ErrorCode.INVALID_ARGUMENT, detail);
  }

  public static BusException notFound(String detail) {
    return new BusException(ErrorCode.NOT_FOUND, detail);
  }

  public static BusException conflict(String detail) {
    return new BusException(ErrorCode.CONFLICT, detail);
  }

  public static BusException unavailable(String detail) {
    return new BusException(ErrorCode.UNAVAILABLE, detail);
  }
}
