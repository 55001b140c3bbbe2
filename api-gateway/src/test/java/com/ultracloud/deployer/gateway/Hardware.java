package com.ultracloud.deployer.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;

/** Realistic discover requests (test resources under hardware/), with helpers to vary them. */
public final class Hardware {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Hardware() {
    }

    public static ObjectNode load(String name) {
        try (InputStream in = Hardware.class.getResourceAsStream("/hardware/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no test hardware " + name);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same box with another identity: a new SMBIOS UUID and NIC addresses derived from {@code n}. */
    public static ObjectNode clone(String name, int n) {
        ObjectNode facts = load(name);
        ((ObjectNode) facts.get("identity")).put("smbiosUuid",
                String.format("4c4c4544-0000-1000-8000-%012x", n));
        ((ObjectNode) facts.get("identity")).put("systemSerial", "SN" + n);
        ArrayNode nics = (ArrayNode) facts.get("nics");
        for (int i = 0; i < nics.size(); i++) {
            String mac = String.format("02:%02x:%02x:%02x:%02x:%02x", i, (n >> 24) & 0xff, (n >> 16) & 0xff,
                    (n >> 8) & 0xff, n & 0xff);
            ((ObjectNode) nics.get(i)).put("mac", mac).put("permanentMac", mac);
        }
        return facts;
    }
}
