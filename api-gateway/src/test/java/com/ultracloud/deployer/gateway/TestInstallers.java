package com.ultracloud.deployer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.gateway.credentials.JoinSecret;
import com.ultracloud.deployer.protocol.BootstrapPlan;
import com.ultracloud.deployer.protocol.seal.InstallerKey;
import com.ultracloud.deployer.protocol.seal.PlanSecretsSeal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The installer side of the tests' discovers: every test gateway gets {@link #JOIN_SECRET}, and every
 * discover body without an installer key gets one, the same for the same machine (one boot per machine
 * for the life of the test JVM), so the plans sealed to it can be opened again with {@link #open}.
 */
public final class TestInstallers {

    public static final String DISCOVER = "/api/v1/bootstrap/discover";
    /** The join secret of every test gateway that does not set its own. */
    public static final String JOIN_SECRET = "test-cluster-join-secret-0123456789";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, InstallerKey> BY_MACHINE = new ConcurrentHashMap<>();
    private static final Map<String, InstallerKey> BY_FINGERPRINT = new ConcurrentHashMap<>();
    private static final Map<String, String> MACHINE_OF_KEY = new ConcurrentHashMap<>();
    private static final Map<String, String> PROGRESS_TOKEN_OF_PLAN = new ConcurrentHashMap<>();

    private TestInstallers() {
    }

    /** The installer key of the machine these facts describe (its identity and NICs). */
    public static InstallerKey keyFor(JsonNode facts) {
        String machine = facts.path("identity").toString() + facts.path("nics").toString();
        return BY_MACHINE.computeIfAbsent(machine, m -> remember(InstallerKey.generate()));
    }

    /** A key of its own (another boot, an impostor), whose sealed plans {@link #open} can open too. */
    public static InstallerKey newKey() {
        return remember(InstallerKey.generate());
    }

    private static InstallerKey remember(InstallerKey key) {
        BY_FINGERPRINT.put(key.fingerprint(), key);
        return key;
    }

    /** {@code facts} (not changed) with {@code key} as {@code installer.publicKey}. */
    public static ObjectNode withKey(ObjectNode facts, InstallerKey key) {
        ObjectNode copy = facts.deepCopy();
        ObjectNode installer = copy.has("installer") && copy.get("installer").isObject()
                ? (ObjectNode) copy.get("installer") : copy.putObject("installer");
        installer.put("publicKey", key.publicKeyBase64());
        return copy;
    }

    /**
     * A discover as the cluster's installer sends it: the join secret unless the caller set that header, the
     * machine's key unless the body has one (JSON bodies given as objects only; text bodies go as they are).
     */
    static RunningGateway.Response discover(RunningGateway gw, String path, Object body, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.putIfAbsent(JoinSecret.HEADER, JOIN_SECRET);
        Object sent = body;
        if (body instanceof ObjectNode facts && facts.path("installer").path("publicKey").isMissingNode()
                && (facts.has("identity") || facts.has("nics"))) {
            sent = withKey(facts, keyFor(facts));
        }
        RunningGateway.Response r = gw.sendPost(path, sent, all); // the path may carry ?wait= (the long-poll)
        if (r.status() == 200 && sent instanceof ObjectNode facts && facts.path("installer").hasNonNull("publicKey")) {
            InstallerKey key = BY_FINGERPRINT.get(InstallerKey.fingerprintOf(
                    java.util.Base64.getDecoder().decode(facts.path("installer").path("publicKey").asText())));
            if (key != null) {
                MACHINE_OF_KEY.put(key.fingerprint(), r.json().path("machineId").asText());
            }
        }
        return r;
    }

    /** The progress token of a plan a test installer opened (null when none did). */
    public static String progressToken(String planId) {
        return planId == null ? null : PROGRESS_TOKEN_OF_PLAN.get(planId);
    }

    /**
     * The plan answer with its secrets opened, as the installer that was handed the token sees them; the
     * answer as it came when it carries no sealed secrets.
     */
    public static JsonNode open(JsonNode planResponse) {
        JsonNode sealed = planResponse.path("secrets").path("sealed");
        if (sealed.isMissingNode()) {
            return planResponse;
        }
        try {
            BootstrapPlan.Sealed box = JSON.treeToValue(sealed, BootstrapPlan.Sealed.class);
            InstallerKey key = BY_FINGERPRINT.get(box.recipient());
            if (key == null) {
                throw new IllegalStateException("the plan is sealed to " + box.recipient() + ", not a test installer's key");
            }
            BootstrapPlan.Secrets opened = PlanSecretsSeal.open(box, key, MACHINE_OF_KEY.get(key.fingerprint()),
                    planResponse.path("plan").path("planId").asText());
            if (opened.progressToken() != null) {
                PROGRESS_TOKEN_OF_PLAN.put(planResponse.path("plan").path("planId").asText(), opened.progressToken());
            }
            ObjectNode copy = planResponse.deepCopy();
            copy.set("secrets", JSON.valueToTree(opened));
            return copy;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
