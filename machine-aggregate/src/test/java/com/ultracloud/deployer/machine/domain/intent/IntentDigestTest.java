package com.ultracloud.deployer.machine.domain.intent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.machine.testdata.Lab;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The intent digest is taken over the canonical JSON: formatting never makes a new generation, content does. */
class IntentDigestTest {

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theGoldenFileAndItsCompactReorderedCopyHaveOneDigest() throws Exception {
        byte[] golden = Files.readAllBytes(Lab.DIR.resolve("expected-cluster-state.json"));
        ObjectNode doc = Lab.stateJson();
        // keys in reverse order, no whitespace: what another tool might write
        byte[] compact = utf8(Lab.JSON.writeValueAsString(reversed(doc)));
        assertThat(compact).isNotEqualTo(golden);
        assertThat(IntentDigest.sha256(compact)).isEqualTo(IntentDigest.sha256(golden)).matches("[0-9a-f]{64}");
    }

    @Test
    void numbersCountByValueAndStringsByTheirCharacters() {
        String a = IntentDigest.sha256(utf8("{\"n\": 100, \"f\": 0.5, \"s\": \"caf\u00e9\", \"z\": -0}"));
        String b = IntentDigest.sha256(utf8("{\"z\":0.0,\"s\":\"caf\\u00e9\",\"f\":5E-1,\"n\":1e2}"));
        assertThat(a).isEqualTo(b);
        assertThat(IntentDigest.canonicalJson(utf8("{ \"b\": [1.0, 2e1, \"\\u00e9\", true], \"a\": null }")))
                .isEqualTo("{\"a\":null,\"b\":[1,20,\"\u00e9\",true]}");
    }

    @Test
    void contentChangesTheDigestNullIsNotAbsentAndArrayOrderCounts() {
        String base = IntentDigest.sha256(utf8("{\"a\":[1,2],\"b\":null}"));
        assertThat(IntentDigest.sha256(utf8("{\"a\":[2,1],\"b\":null}"))).isNotEqualTo(base);
        assertThat(IntentDigest.sha256(utf8("{\"a\":[1,2]}"))).isNotEqualTo(base);
        assertThat(IntentDigest.sha256(utf8("{\"a\":[1,2],\"b\":\"null\"}"))).isNotEqualTo(base);
        assertThat(IntentDigest.sha256(utf8("{\"a\":[1,2.5],\"b\":null}"))).isNotEqualTo(base);
    }

    @Test
    void hugeExponentsStayShortAndNonJsonIsRefused() {
        assertThat(IntentDigest.canonicalJson(utf8("[1e999999999, 12.50, 1e-7]"))).isEqualTo("[1E+999999999,12.5,1E-7]");
        assertThatIllegalArgumentException().isThrownBy(() -> IntentDigest.sha256(utf8("{\"a\":")));
        assertThatIllegalArgumentException().isThrownBy(() -> IntentDigest.sha256(new byte[0]));
    }

    /** A copy with every object's keys in reverse order. */
    static JsonNode reversed(JsonNode n) {
        if (n.isObject()) {
            List<String> keys = new ArrayList<>();
            n.fieldNames().forEachRemaining(keys::add);
            Collections.reverse(keys);
            ObjectNode out = Lab.JSON.createObjectNode();
            keys.forEach(k -> out.set(k, reversed(n.get(k))));
            return out;
        }
        if (n.isArray()) {
            var out = Lab.JSON.createArrayNode();
            n.forEach(e -> out.add(reversed(e)));
            return out;
        }
        return n;
    }
}
