package com.ultracloud.deployer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.projection.inventory.InventoryListing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Inventory pages (issue 9, "big fleets"): keyset pages ({@code after=} the page's {@code next}) walk the
 * same rows in the same order as offset pages in every sort, machines without the sorted field included;
 * totals come from the counts the projection keeps, and they always equal the rows. Run on a gateway of
 * its own (H2 and PostgreSQL), so the inventory holds exactly these machines.
 */
final class InventoryPages {

    static final int MACHINES = 12;
    private static final List<String> SORTS = List.of("hostname", "hostname,desc", "lastSeen,desc", "lastSeen",
            "state", "state,desc", "nodeClass", "pool,desc", "updatedAt", "machineId", "machineId,desc");

    private final RunningGateway gw;
    private final List<String> ids = new ArrayList<>();

    InventoryPages(RunningGateway gw) {
        this.gw = gw;
    }

    /** Twelve machines: five commissioned with hostnames out of discovery order (two labelled), seven only inspected. */
    void fill() {
        for (int n = 0; n < MACHINES; n++) {
            RunningGateway.Response r = gw.post("/api/v1/bootstrap/discover", Hardware.clone("server-nvme-sata-usb", 600 + n));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            ids.add(r.json().get("machineId").asText());
        }
        ids.forEach(id -> assertThat(gw.post("/api/v1/machines/" + id + "/inspect", null).status()).isEqualTo(202));
        awaitTotal("state=INSPECTED", MACHINES);
        String[] hostnames = {"page-05", "page-01", "page-04", "page-02", "page-03"};
        for (int i = 0; i < hostnames.length; i++) {
            Map<String, Object> body = new java.util.HashMap<>(Map.of("nodeClass", i % 2 == 0 ? "worker" : "storage",
                    "pool", "rack-p", "hostname", hostnames[i]));
            if (i < 2) {
                body.put("labels", Map.of("tier", "hot"));
            }
            RunningGateway.Response r = gw.post("/api/v1/machines/" + ids.get(i) + "/commission", body);
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
        }
        awaitTotal("state=COMMISSIONED&pool=rack-p", hostnames.length);
        awaitTotal("label=tier=hot", 2);
    }

    /** Every sort: keyset pages of 5 give exactly the rows, in the order, of one big offset page and of offset pages of 5. */
    void keysetPagesWalkTheSameRowsAsOffsetPages() {
        for (String sort : SORTS) {
            List<String> whole = ids(get("/api/v1/machines?size=500&sort=" + sort));
            assertThat(whole).as(sort).hasSize(MACHINES).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);

            List<String> byOffset = new ArrayList<>();
            for (int page = 0; page * 5 < MACHINES; page++) {
                byOffset.addAll(ids(get("/api/v1/machines?size=5&page=" + page + "&sort=" + sort)));
            }
            assertThat(byOffset).as("offset pages, sort=" + sort).isEqualTo(whole);

            List<String> byCursor = new ArrayList<>();
            JsonNode page = get("/api/v1/machines?size=5&sort=" + sort);
            int pages = 1;
            while (true) {
                byCursor.addAll(ids(page));
                if (!page.has("next")) {
                    break;
                }
                page = get("/api/v1/machines?size=5&sort=" + sort + "&after=" + enc(page.get("next").asText()));
                pages++;
            }
            assertThat(byCursor).as("keyset pages, sort=" + sort).isEqualTo(whole);
            assertThat(pages).as("pages of 5, the last one without next").isEqualTo(3);
        }
        // machines without a hostname come after the named ones ascending, before them descending
        List<String> named = hostnames(get("/api/v1/machines?size=500&sort=hostname"));
        assertThat(named.subList(0, 5)).containsExactly("page-01", "page-02", "page-03", "page-04", "page-05");
        assertThat(named.subList(5, MACHINES)).containsOnlyNulls();
        List<String> reversed = hostnames(get("/api/v1/machines?size=500&sort=hostname,desc"));
        assertThat(reversed.subList(0, 7)).containsOnlyNulls();
        assertThat(reversed.subList(7, MACHINES)).containsExactly("page-05", "page-04", "page-03", "page-02", "page-01");
        // filters apply to keyset pages too
        JsonNode first = get("/api/v1/machines?size=2&state=COMMISSIONED");
        JsonNode second = get("/api/v1/machines?size=2&state=COMMISSIONED&after=" + enc(first.get("next").asText()));
        assertThat(hostnames(first)).containsExactly("page-01", "page-02");
        assertThat(hostnames(second)).containsExactly("page-03", "page-04");
        assertThat(second.get("total").asLong()).isEqualTo(5);
    }

    /** Totals: exact, from the kept counts, which always equal the rows; text and label totals counted. */
    void totalsComeFromCountsThatEqualTheRows() {
        Map<String, Long> expected = new TreeMap<>(Map.of("", (long) MACHINES, "state=COMMISSIONED", 5L,
                "state=INSPECTED", 7L, "state=INSPECTED,COMMISSIONED", (long) MACHINES, "pool=rack-p", 5L,
                "nodeClass=worker&pool=rack-p", 3L, "state=DISCOVERED", 0L, "label=tier=hot", 2L,
                "q=page-0", 5L, "state=COMMISSIONED&q=sn60", 5L));
        expected.forEach((filter, total) -> {
            JsonNode page = get("/api/v1/machines?size=1&" + filter);
            assertThat(page.get("total").asLong()).as(filter).isEqualTo(total);
            assertThat(page.get("totalExact").asBoolean()).as(filter).isTrue();
            assertThat(page.has("next")).as(filter).isEqualTo(total > 1);
        });
        InventoryListing listing = gw.bean(InventoryListing.class);
        assertThat(listing.countsKept()).isEqualTo(listing.countsOfRows())
                .containsEntry("COMMISSIONED/worker/rack-p", 3L).containsEntry("COMMISSIONED/storage/rack-p", 2L)
                .containsEntry("INSPECTED//", 7L).hasSize(3);
    }

    /** A cursor is the next of a page in the same sort, and starts its own page. */
    void aForeignOrStaleCursorIsRefused() {
        String next = get("/api/v1/machines?size=2").get("next").asText();
        for (String query : List.of("after=not-a-cursor", "after=" + enc(next) + "&sort=lastSeen",
                "after=" + enc(next) + "&page=1")) {
            RunningGateway.Response r = gw.get("/api/v1/machines?size=2&" + query);
            assertThat(r.status()).as(query).isEqualTo(400);
            assertThat(r.isProblem()).isTrue();
            assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText()).as(query).contains("after");
        }
    }

    private void awaitTotal(String filter, long total) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(get("/api/v1/machines?size=1&" + filter).get("total").asLong()).as(filter).isEqualTo(total));
    }

    private JsonNode get(String path) {
        RunningGateway.Response r = gw.get(path);
        assertThat(r.status()).as(path + ": " + r).isEqualTo(200);
        return r.json();
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(i -> out.add(i.get("machineId").asText()));
        return out;
    }

    private static List<String> hostnames(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(i -> out.add(i.hasNonNull("hostname") ? i.get("hostname").asText() : null));
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
