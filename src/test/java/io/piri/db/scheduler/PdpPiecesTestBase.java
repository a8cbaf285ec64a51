package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * Pieces (3.7: item 47, D14, D15), provider registration (3.5: item 49, D5) and the admin payment
 * waits (3.9).
 */
public abstract class PdpPiecesTestBase extends PdpTestBase {
  @Test
  void uploadsMappingsAndParking() throws Exception {
    startEngine();
    String id = pdp("piece-allocate", new JsonObject().put("check_hash_codec", "sha2-256-trunc254-padded")
        .put("check_hash_base64", b64("hash")).put("check_size", 1024)).getString("id");
    JsonObject upload = pdp("piece-get-upload", new JsonObject().put("id", id));
    assertEquals(b64("hash"), upload.getString("check_hash_base64"));
    assertEquals("storacha", upload.getString("service"));
    // item 47: upload row deleted and mapping stored together
    JsonObject done = pdp("piece-complete-upload", new JsonObject().put("id", id).put("mhash_base64", b64("blob-1"))
        .put("size", 1024).put("commp", cid("c", 1)));
    assertTrue(done.getBoolean("mapped"));
    assertCode(404, callFails(S, "piece-get-upload", new JsonObject().put("id", id)), null);
    // D15: resolve-to-piece compares the multihash bytes and finds what was stored
    JsonObject piece = pdp("piece-resolve-to-piece", new JsonObject().put("mhash_base64", b64("blob-1")));
    assertTrue(piece.getBoolean("found"));
    assertEquals(cid("c", 1), piece.getString("commp"));
    assertFalse(pdp("piece-resolve-to-piece", new JsonObject().put("mhash_base64", b64("blob-2"))).getBoolean("found"));
    assertEquals(b64("blob-1"), pdp("piece-resolve-to-blob", new JsonObject().put("commp", cid("c", 1))).getString("mhash_base64"));
    assertFalse(pdp("piece-commp-put", new JsonObject().put("mhash_base64", b64("blob-1")).put("size", 1).put("commp", cid("c", 9)))
        .getBoolean("inserted"), "conflicts are ignored");
    assertEquals(cid("c", 1), pdp("piece-commp-get", new JsonObject().put("mhash_base64", b64("blob-1"))).getString("commp"));

    // D14: parking the same piece again returns the same triple instead of a duplicate
    JsonObject body = new JsonObject().put("piece_cid", cid("c", 1)).put("piece_padded_size", 2048).put("piece_raw_size", 2000)
        .put("data_url", "pdpstore://x");
    JsonObject first = pdp("piece-park", body);
    JsonObject again = pdp("piece-park", body);
    assertFalse(first.getBoolean("duplicate"));
    assertTrue(again.getBoolean("duplicate"));
    assertEquals(first.getLong("pdp_piece_ref_id"), again.getLong("pdp_piece_ref_id"));
    assertEquals(first.getLong("piece_id"), again.getLong("piece_id"));
  }

  /** As in Piri, each service that parks a piece has its own parked ref and pdp piece ref of the one parked piece. */
  @Test
  void parkingAPieceForAnotherServiceGivesItItsOwnRefs() throws Exception {
    startEngine();
    JsonObject body = new JsonObject().put("piece_cid", cid("s", 1)).put("piece_padded_size", 2048).put("piece_raw_size", 2000)
        .put("data_url", "pdpstore://x");
    JsonObject first = pdp("piece-park", body);
    JsonObject other = pdp("piece-park", body.copy().put("service", "other"));
    assertFalse(other.getBoolean("duplicate"));
    assertEquals(first.getLong("piece_id"), other.getLong("piece_id"), "one parked piece");
    assertNotEquals(first.getLong("ref_id"), other.getLong("ref_id"));
    assertNotEquals(first.getLong("pdp_piece_ref_id"), other.getLong("pdp_piece_ref_id"));
    JsonObject ref = pdp("piece-ref-get", new JsonObject().put("pdp_piece_ref_id", other.getLong("pdp_piece_ref_id")));
    assertEquals("other", ref.getString("service"));
    assertEquals(other.getLong("ref_id"), ref.getLong("piece_ref"));
    JsonObject again = pdp("piece-park", body.copy().put("service", "other"));
    assertTrue(again.getBoolean("duplicate"));
    assertEquals(other.copy().put("duplicate", true), again);
    assertEquals(first.copy().put("duplicate", true), pdp("piece-park", body));
    JsonObject info = pdp("roots-subroot-info", new JsonObject().put("service", "other").put("piece_cids", new JsonArray().add(cid("s", 1))));
    assertEquals(other.getLong("pdp_piece_ref_id"), info.getJsonObject("subroots").getJsonObject(cid("s", 1)).getLong("pdp_piece_ref_id"));
  }

  @Test
  void providerRegistrationAndPayments() throws Exception {
    startEngine();
    // item 49: a registration in progress blocks another
    pdp("provider-record-registration", new JsonObject().put("register_message_hash", hash(1)));
    assertTrue(pdp("provider-pending-registration", new JsonObject()).getBoolean("pending"));
    assertCode(409, callFails(S, "provider-record-registration", new JsonObject().put("register_message_hash", hash(2))), null);
    // D5: the message's outcome reaches the registration; a failed one no longer blocks
    confirm(hash(1), false, null);
    assertFalse(pdp("provider-pending-registration", new JsonObject()).getBoolean("pending"));
    assertCode(409, callFails(S, "provider-mark-registered", new JsonObject().put("register_message_hash", hash(1))
        .put("provider_id", 3)), null);
    pdp("provider-record-registration", new JsonObject().put("register_message_hash", hash(2)));
    confirm(hash(2), true, null);
    JsonObject pending = pdp("provider-pending-registration", new JsonObject());
    assertTrue(pending.getJsonObject("registration").getBoolean("ok"), "confirmed, not yet marked");
    JsonObject marked = pdp("provider-mark-registered", new JsonObject().put("register_message_hash", hash(2)).put("provider_id", 3));
    assertTrue(marked.getBoolean("provider_registered"));
    assertEquals(3, marked.getLong("provider_id"));
    assertFalse(pdp("provider-pending-registration", new JsonObject()).getBoolean("pending"));

    // 3.9: one settlement per rail at a time
    pdp("pay-rail-wait-put", new JsonObject().put("rail_id", "12").put("signed_tx_hash", hash(10)));
    assertEquals("pending", pdp("pay-rail-wait-get", new JsonObject().put("rail_id", "12")).getString("tx_status"));
    assertCode(409, callFails(S, "pay-rail-wait-put", new JsonObject().put("rail_id", "12").put("signed_tx_hash", hash(11))), null);
    confirm(hash(10), true, null);
    pdp("pay-rail-wait-put", new JsonObject().put("rail_id", "12").put("signed_tx_hash", hash(11)));
    assertEquals(hash(11), pdp("pay-rail-wait-get", new JsonObject().put("rail_id", "12")).getString("signed_tx_hash"));
    assertTrue(pdp("pay-rail-wait-delete", new JsonObject().put("rail_id", "12")).getBoolean("deleted"));
    assertCode(404, callFails(S, "pay-rail-wait-get", new JsonObject().put("rail_id", "12")), null);

    assertFalse(pdp("pay-withdrawal-wait-latest", new JsonObject()).getBoolean("found"));
    long w = pdp("pay-withdrawal-wait-put", new JsonObject().put("signed_tx_hash", hash(20))).getLong("id");
    assertCode(409, callFails(S, "pay-withdrawal-wait-put", new JsonObject().put("signed_tx_hash", hash(21))), null);
    assertEquals(w, pdp("pay-withdrawal-wait-latest", new JsonObject()).getJsonObject("wait").getLong("id"));
    assertTrue(pdp("pay-withdrawal-wait-delete", new JsonObject().put("id", w)).getBoolean("deleted"));
  }
}
