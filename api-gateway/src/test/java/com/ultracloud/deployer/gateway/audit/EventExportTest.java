package com.ultracloud.deployer.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.bootstrap.Installs;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event exports (issue 12): a machine's history and slices of the whole store as JSON Lines, one event per line
 * with its aggregate, sequence, position, types, payload and metadata; paged by position without a gap or a repeat.
 */
class EventExportTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static RunningGateway gw;
    static String machine;

    @BeforeAll
    static void start() {
        gw = LabIntent.start("--deployer.data-dir=" + dataDir);
        machine = Installs.requestInstall(gw, Hardware.clone("server-nvme-sata-usb", 971), "worker", "general", "export-971");
        Installs.discover(gw, Hardware.clone("server-nvme-sata-usb", 972));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void aMachinesHistoryAsJsonLinesHasEveryEventWithItsTypesAndMetadata() throws Exception {
        RunningGateway.Response r = gw.get("/api/v1/machines/" + machine + "/events?format=jsonl");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/x-ndjson");
        List<JsonNode> lines = lines(r.body());
        JsonNode json = gw.get("/api/v1/machines/" + machine + "/events").json();
        assertThat(lines).hasSize(json.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = lines.get(i);
            assertThat(line.get("aggregateType").asText()).isEqualTo("Machine");
            assertThat(line.get("aggregateId").asText()).isEqualTo(machine);
            assertThat(line.get("sequence").asLong()).isEqualTo(i);
            assertThat(line.get("type").asText()).isEqualTo(json.get(i).get("type").asText());
            assertThat(line.has("payloadType")).as("no Java class names").isFalse();
            assertThat(line.get("payload")).isEqualTo(json.get(i).get("payload"));
            assertThat(line.at("/metadata/principal").isTextual()).isTrue();
        }
        assertThat(lines.get(0).get("type").asText()).isEqualTo("MachineDiscovered");
        assertThat(gw.get("/api/v1/machines/" + machine + "/events?format=csv").json().at("/errors/0/field").asText())
                .isEqualTo("format");
    }

    @Test
    void theWholeStoreIsReadInSlicesByPositionWithoutAGapOrARepeat() throws Exception {
        List<JsonNode> all = lines(gw.get("/api/v1/events?format=jsonl&limit=10000").body());
        long last = all.get(all.size() - 1).get("position").asLong();
        // the export is the store's table, in its order (events appended meanwhile lie beyond the last position)
        List<String> table = gw.bean(org.springframework.jdbc.core.JdbcTemplate.class).queryForList(
                "select global_index, payload_type from domain_event_entry where global_index <= ? order by global_index",
                last).stream().map(r -> r.get("GLOBAL_INDEX") + " " + r.get("PAYLOAD_TYPE").toString()
                        .substring(r.get("PAYLOAD_TYPE").toString().lastIndexOf('.') + 1)).toList();
        assertThat(all.stream().map(e -> e.get("position").asLong() + " " + e.get("type").asText()).toList())
                .isEqualTo(table);
        assertThat(all.stream().map(e -> e.get("aggregateType").asText()).distinct()).contains("Machine", "ClusterIntent");
        List<JsonNode> paged = new ArrayList<>();
        Long from = 0L;
        while (from != null) {
            RunningGateway.Response r = gw.get("/api/v1/events?format=jsonl&limit=4&from=" + from + "&to=" + last);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            List<JsonNode> page = lines(r.body());
            assertThat(page.size()).isBetween(1, 4);
            paged.addAll(page);
            from = r.header("X-Next-From").map(Long::parseLong).orElse(null);
        }
        assertThat(paged).isEqualTo(all);
        List<Long> positions = all.stream().map(e -> e.get("position").asLong()).toList();
        assertThat(positions).isSorted().doesNotHaveDuplicates();

        long second = positions.get(1);
        long fourth = positions.get(3);
        JsonNode slice = gw.get("/api/v1/events?from=" + second + "&to=" + fourth).json();
        assertThat(slice.get("events")).hasSize(3);
        assertThat(slice.get("events").get(0).get("position").asLong()).isEqualTo(second);
        assertThat(slice.path("next").isNumber()).as("the slice ends at to").isFalse();

        JsonNode bad = gw.get("/api/v1/events?from=-1&limit=0&format=xml").json();
        assertThat(bad.findValuesAsText("field")).containsExactlyInAnyOrder("from", "limit", "format");
    }

    private static List<JsonNode> lines(String body) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }
}
