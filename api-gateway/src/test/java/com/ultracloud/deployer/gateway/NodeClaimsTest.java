package com.ultracloud.deployer.gateway;

import com.ultracloud.deployer.gateway.claims.JdbcNodeClaims;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.command.NodeClaims;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostname and node-id claims on the embedded (H2) gateway (issue 14, ADR 0007): the single-gateway path of
 * concurrent commissions, the claim following the command's unit of work both ways, and the backfill that
 * upgrades a database made before the claims existed.
 */
class NodeClaimsTest {

    @TempDir
    Path dataDir;

    @Test
    void concurrentCommissionsWithOneHostnameOnOneGatewayGiveItToOneMachine() throws Exception {
        try (RunningGateway g = RunningGateway.embedded(dataDir)) {
            List<String> ids = discoverAndInspect(g, 8, 7300);
            ExecutorService pool = Executors.newFixedThreadPool(ids.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RunningGateway.Response>> futures = new ArrayList<>();
            for (String id : ids) {
                futures.add(pool.submit((Callable<RunningGateway.Response>) () -> {
                    go.await();
                    return g.post("/api/v1/machines/" + id + "/commission",
                            Map.of("nodeClass", "worker", "pool", "general", "hostname", "solo-1", "nodeId", "n-" + id));
                }));
            }
            go.countDown();
            List<String> winners = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                RunningGateway.Response r = futures.get(i).get();
                assertThat(r.status()).as(r.toString()).isIn(202, 409);
                if (r.status() == 202) {
                    winners.add(ids.get(i));
                } else {
                    assertThat(r.json().get("type").asText()).as(r.toString()).endsWith(":hostname-taken");
                    assertThat(r.json().get("hostname").asText()).isEqualTo("solo-1");
                }
            }
            pool.shutdown();
            assertThat(winners).hasSize(1);
            JdbcNodeClaims claims = g.bean(JdbcNodeClaims.class);
            assertThat(claims.holderOf(NodeClaims.Kind.HOSTNAME, "solo-1")).contains(winners.get(0));
            for (String id : ids) {
                int events = g.get("/api/v1/machines/" + id + "/events").json().size();
                assertThat(events).as("events of " + id).isEqualTo(id.equals(winners.get(0)) ? 4 : 2);
                assertThat(claims.holderOf(NodeClaims.Kind.NODE_ID, "n-" + id))
                        .as("a refused commission claims no node id").isEqualTo(
                                id.equals(winners.get(0)) ? java.util.Optional.of(id) : java.util.Optional.empty());
            }
        }
    }

    @Test
    void aNodeIdAnotherMachineHoldsIsRefusedAsNodeIdTaken() {
        try (RunningGateway g = RunningGateway.embedded(dataDir)) {
            List<String> ids = discoverAndInspect(g, 2, 7400);
            assertThat(g.post("/api/v1/machines/" + ids.get(0) + "/commission",
                    Map.of("nodeClass", "worker", "pool", "general", "hostname", "cp-a", "nodeId", "cp")).status())
                    .isEqualTo(202);
            RunningGateway.Response r = g.post("/api/v1/machines/" + ids.get(1) + "/commission",
                    Map.of("nodeClass", "worker", "pool", "general", "hostname", "cp-b", "nodeId", "cp"));
            assertThat(r.status()).as(r.toString()).isEqualTo(409);
            assertThat(r.json().get("type").asText()).endsWith(":node-id-taken");
            assertThat(r.json().get("nodeId").asText()).isEqualTo("cp");
            assertThat(r.json().get("heldBy").asText()).isEqualTo(ids.get(0));
            assertThat(g.bean(JdbcNodeClaims.class).holderOf(NodeClaims.Kind.HOSTNAME, "cp-b")).isEmpty();
        }
    }

    @Test
    void aClaimCommitsAndRollsBackWithTheUnitOfWorkOfItsCommand() {
        try (RunningGateway g = RunningGateway.embedded(dataDir)) {
            JdbcNodeClaims claims = g.bean(JdbcNodeClaims.class);
            TransactionManager transactions = g.bean(TransactionManager.class);
            MachineId rolledBack = MachineId.parse(UUID.randomUUID().toString());
            MachineId committed = MachineId.parse(UUID.randomUUID().toString());

            UnitOfWork<?> failing = DefaultUnitOfWork.startAndGet(null);
            failing.attachTransaction(transactions);
            assertThat(claims.claim(rolledBack, "uow-1", "uow-1")).isEmpty();
            failing.rollback(new IllegalStateException("the event append failed"));
            assertThat(claims.holderOf(NodeClaims.Kind.HOSTNAME, "uow-1")).as("rolled back with the unit of work").isEmpty();

            UnitOfWork<?> working = DefaultUnitOfWork.startAndGet(null);
            working.attachTransaction(transactions);
            assertThat(claims.claim(committed, "uow-1", "uow-1")).isEmpty();
            working.commit();
            assertThat(claims.holderOf(NodeClaims.Kind.HOSTNAME, "uow-1")).contains(committed.toString());

            UnitOfWork<?> refused = DefaultUnitOfWork.startAndGet(null);
            refused.attachTransaction(transactions);
            assertThat(claims.claim(rolledBack, "uow-2", "uow-1")).hasValueSatisfying(t -> {
                assertThat(t.kind()).isEqualTo(NodeClaims.Kind.NODE_ID);
                assertThat(t.heldBy()).isEqualTo(committed.toString());
            });
            refused.commit(); // the transaction stays usable, and the half-made claim (uow-2) is gone
            assertThat(claims.holderOf(NodeClaims.Kind.HOSTNAME, "uow-2")).isEmpty();
        }
    }

    @Test
    void anExistingDatabaseGetsTheClaimsOfItsAssignedMachinesFromTheEventStore() {
        List<String> ids;
        try (RunningGateway g = RunningGateway.embedded(dataDir)) {
            ids = discoverAndInspect(g, 3, 7500);
            for (int i = 0; i < 3; i++) {
                assertThat(g.post("/api/v1/machines/" + ids.get(i) + "/commission",
                        Map.of("nodeClass", "worker", "pool", "general", "hostname", "old-" + i)).status()).isEqualTo(202);
            }
            assertThat(g.post("/api/v1/machines/" + ids.get(2) + "/retire", null).status()).isEqualTo(202);
            // as a database migrated to V30 before any claim was made
            JdbcTemplate jdbc = g.bean(JdbcTemplate.class);
            jdbc.update("delete from node_claim");
            jdbc.update("update node_claim_backfill set pending = true");
        }
        try (RunningGateway g = RunningGateway.embedded(dataDir)) {
            JdbcNodeClaims claims = g.bean(JdbcNodeClaims.class);
            assertThat(claims.holderOf(NodeClaims.Kind.HOSTNAME, "old-0")).contains(ids.get(0));
            assertThat(claims.holderOf(NodeClaims.Kind.NODE_ID, "old-1")).contains(ids.get(1));
            assertThat(claims.holderOf(NodeClaims.Kind.HOSTNAME, "old-2")).as("retired: released").isEmpty();
            assertThat(g.bean(JdbcTemplate.class).queryForObject("select pending from node_claim_backfill", Boolean.class))
                    .isFalse();
        }
    }

    private static List<String> discoverAndInspect(RunningGateway g, int machines, int firstSerial) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < machines; i++) {
            String id = g.post("/api/v1/bootstrap/discover", Hardware.clone("server-nvme-sata-usb", firstSerial + i)).json()
                    .get("machineId").asText();
            assertThat(g.post("/api/v1/machines/" + id + "/inspect", null).status()).isEqualTo(202);
            ids.add(id);
        }
        return ids;
    }
}
