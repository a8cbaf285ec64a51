package io.piri.db.adopt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Base64;

/**
 * The envelope Piri's job-queue worker wraps each payload in (piri-jobqueue.md 7):
 * {@code {"name":..,"message":<base64>,"trace":..}} and a newline, read the way Go's decoder
 * reads it (keys in any case, unknown keys ignored, a missing message is empty). Only the name
 * and the decoded message bytes are kept: piri-db has no trace links.
 */
record Envelope(String name, byte[] message) {
  private static final JsonFactory JSON = new JsonFactory();

  /** @throws IllegalArgumentException naming what makes {@code body} no envelope */
  static Envelope decode(byte[] body) {
    String name = null;
    String message = null;
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException("not a JSON object");
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equalsIgnoreCase("name")) {
          name = text(p, value, "name");
        } else if (field.equalsIgnoreCase("message")) {
          message = text(p, value, "message");
        } else {
          p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new IllegalArgumentException("not a single JSON object");
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage());
    }
    if (name == null || name.isEmpty()) throw new IllegalArgumentException("the envelope has no name");
    byte[] bytes;
    try {
      bytes = message == null ? new byte[0] : Base64.getDecoder().decode(message.replace("\n", "").replace("\r", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the message is not base64: " + e.getMessage());
    }
    return new Envelope(name, bytes);
  }

  private static String text(JsonParser p, JsonToken value, String field) throws IOException {
    if (value == JsonToken.VALUE_NULL) return null;
    if (value != JsonToken.VALUE_STRING) throw new IllegalArgumentException("'" + field + "' is not a string");
    return p.getText();
  }
}
