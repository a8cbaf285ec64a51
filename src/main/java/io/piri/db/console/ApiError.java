package io.piri.db.console;

import io.vertx.core.json.JsonObject;

/**
 * A refusal of the console's API: an HTTP status, an error name and a message that names the
 * field at fault; the body is {@code {"code", "error", "message"}}, as the CLI prints failures.
 */
final class ApiError extends RuntimeException {
  final int status;
  final String error;

  ApiError(int status, String error, String message) {
    super(message, null, false, false);
    this.status = status;
    this.error = error;
  }

  static ApiError invalid(String message) {
    return new ApiError(400, "invalid_argument", message);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, "not_found", message);
  }

  static ApiError unauthenticated() {
    return new ApiError(401, "unauthenticated", "this request needs a token (Authorization: Bearer, or log in)");
  }

  static ApiError forbidden(String message) {
    return new ApiError(403, "forbidden", message);
  }

  JsonObject toJson() {
    return new JsonObject().put("code", status).put("error", error).put("message", getMessage());
  }
}
