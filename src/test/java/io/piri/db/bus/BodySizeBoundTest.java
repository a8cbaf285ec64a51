package io.piri.db.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The size bound that lets a body skip being encoded just to be measured must never be under the real size. */
class BodySizeBoundTest {
  @Test
  void theBoundIsNeverUnderTheEncodedSize() {
    List<JsonObject> bodies = List.of(
        new JsonObject(),
        new JsonObject().put("queue", "t").put("name", "job").put("payload", new JsonObject().put("blob", "bafy")),
        new JsonObject().put("q\"\\\n\u0001", "\"\\\t\u0000\u001f\u2028😀").put("ü", "é漢字"),
        new JsonObject().put("n", Long.MIN_VALUE).put("d", -Double.MAX_VALUE).put("e", -4.9e-324).put("f", -Float.MAX_VALUE)
            .put("i", Integer.MIN_VALUE).put("t", true).put("f2", false).putNull("z"),
        new JsonObject().put("items", new JsonArray().add(new JsonObject().put("id", 1).put("receipt", "ab"))
            .addNull().add(new JsonArray().add(new JsonArray())).add("x".repeat(1000))),
        new JsonObject().put("bytes", new byte[100]));
    for (JsonObject body : bodies) {
      long encoded = body.toBuffer().length();
      long bound = BodyCheck.sizeBound(body);
      assertTrue(bound >= encoded, body.encode() + ": bound " + bound + " < " + encoded);
    }
  }

  @Test
  void deepNestingAndOtherTypesAreLeftToTheEncoder() {
    Object deep = "leaf";
    for (int i = 0; i < 40; i++) deep = new JsonArray().add(deep);
    assertEquals(-1, BodyCheck.sizeBound(new JsonObject().put("deep", deep)));
    assertEquals(-1, BodyCheck.sizeBound(new JsonObject().put("big", new BigInteger("1".repeat(100)))));
  }
}
