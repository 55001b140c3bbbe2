package com.ultracloud.deployer.installer.agent;

import com.ultracloud.deployer.installer.run.Backoff;
import com.ultracloud.deployer.installer.run.SimulatedExecutor;
import com.ultracloud.deployer.protocol.agent.ActivationReport;
import com.ultracloud.deployer.protocol.agent.DesiredSystem;
import com.ultracloud.deployer.protocol.agent.DesiredSystem.SystemTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static com.ultracloud.deployer.installer.agent.NodeRoot.NEW;
import static com.ultracloud.deployer.installer.agent.NodeRoot.OLD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's long-poll against a real fake deployer: 503 retried with backoff, 204 while nothing is desired,
 * 200 + ETag for a new desired system (activated at once), If-None-Match on every later request, 304 while it
 * is unchanged, and the next desired system picked up as soon as the deployer has it.
 */
class AgentLoopTest {

    static final String NEWER = "/nix/store/d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4-nixos-system-cp-1-25.05.4";

    @TempDir
    Path tmp;

    @Test
    void onceNothingIsDesiredTheAgentLongPollsWithoutItsOldTagInsteadOfAskingAgainAndAgain() throws Exception {
        try (FakeDeployer deployer = FakeDeployer.http()) {
            NodeRoot node = new NodeRoot(Files.createDirectories(tmp.resolve("root")), OLD);
            // a manual clock: a pause between polls takes no time, so only the deployer's hold keeps the loop from spinning
            Thread loop = loop(agent(deployer, SimulatedExecutor.succeeding(), node, new AgentState(tmp.resolve("state"), false),
                    new StringWriter()));
            deployer.desire(desired(3, NEW));
            loop.start();
            deployer.awaitReports(5, Duration.ofSeconds(10));
            String tag = deployer.etag();
            deployer.desireNothing(); // e.g. the first boot was confirmed and nothing else is desired
            Thread.sleep(1500);
            loop.interrupt();
            loop.join(5000);

            List<FakeDeployer.Request> gets = deployer.requests().stream().filter(r -> r.method().equals("GET")).toList();
            int nothing = indexOf(gets, 204, 0);
            assertThat(gets.get(nothing).ifNoneMatch()).as("told with its old tag that nothing is desired").isEqualTo(tag);
            assertThat(gets.subList(nothing + 1, gets.size())).as("then held without a tag, about one per 200 ms hold")
                    .isNotEmpty().hasSizeLessThan(12)
                    .allSatisfy(r -> assertThat(r.ifNoneMatch()).isNull());
        }
    }

    @Test
    void aFinalReportTheDeployerCouldNotTakeIsKeptAndSentAgainOnceItAnswers() throws Exception {
        StringWriter console = new StringWriter();
        try (FakeDeployer deployer = FakeDeployer.http()) {
            deployer.failFinalReports.set(Agent.REPORT_ATTEMPTS); // every attempt of the healthy report: a gateway restarting
            NodeRoot node = new NodeRoot(Files.createDirectories(tmp.resolve("root")), OLD);
            AgentState state = new AgentState(tmp.resolve("state"), false);
            Thread loop = loop(agent(deployer, SimulatedExecutor.succeeding(), node, state, console));
            deployer.desire(desired(3, NEW));
            loop.start();

            List<ActivationReport> reports = deployer.awaitReports(5, Duration.ofSeconds(10));
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!console.toString().contains("delivered the kept report") && System.nanoTime() < until) {
                Thread.sleep(20); // the agent prints it after the deployer answered
            }
            loop.interrupt();
            loop.join(5000);

            assertThat(reports).extracting(r -> r.generation() + " " + r.result() + " " + r.step()).containsExactly(
                    "3 started set-profile", "3 started activate", "3 started health-check", "3 started boot-default",
                    "3 healthy boot-default");
            assertThat(deployer.requests().stream().filter(r -> r.status() == 503)).hasSize(Agent.REPORT_ATTEMPTS);
            assertThat(console.toString()).contains("kept, to be sent again once the deployer answers",
                    "delivered the kept report healthy of deployment web-7 generation 3");
            assertThat(state.undeliveredReport()).isEmpty();
            assertThat(tmp.resolve("state").resolve(AgentState.UNDELIVERED_REPORT)).doesNotExist();
        }
    }

    @Test
    void theAgentLongPollsWithItsEtagAndActivatesEachNewDesiredSystemOnce() throws Exception {
        StringWriter console = new StringWriter();
        try (FakeDeployer deployer = FakeDeployer.http()) {
            deployer.failNext.add(503);
            NodeRoot node = new NodeRoot(Files.createDirectories(tmp.resolve("root")), OLD);
            SimulatedExecutor executor = SimulatedExecutor.succeeding();
            Agent agent = agent(deployer, executor, node, new AgentState(tmp.resolve("state"), false), console);
            AtomicReference<Throwable> ended = new AtomicReference<>();
            Thread loop = new Thread(() -> {
                try {
                    agent.run();
                } catch (Throwable t) {
                    ended.set(t);
                }
            });
            loop.start();

            awaitRequests(deployer, 3); // 503, then 204s while nothing is desired
            deployer.desire(desired(3, NEW));
            assertThat(deployer.awaitReports(5, Duration.ofSeconds(10))).hasSize(5);
            String firstTag = deployer.etag();
            awaitRequests(deployer, deployer.requests().size() + 2); // 304s: unchanged
            deployer.desire(desired(4, NEWER));
            List<ActivationReport> reports = deployer.awaitReports(10, Duration.ofSeconds(10));
            awaitRequests(deployer, deployer.requests().size() + 1);
            loop.interrupt();
            loop.join(5000);

            assertThat(ended.get()).as("the loop ends only by the interrupt").isInstanceOf(InterruptedException.class);
            assertThat(reports).extracting(r -> r.generation() + " " + r.result() + " " + r.step()).containsExactly(
                    "3 started set-profile", "3 started activate", "3 started health-check", "3 started boot-default",
                    "3 healthy boot-default",
                    "4 started set-profile", "4 started activate", "4 started health-check", "4 started boot-default",
                    "4 healthy boot-default");
            assertThat(reports.get(9).runningSystem()).isEqualTo(NEWER);
            assertThat(executor.recorded()).extracting(r -> r.command().get(r.command().size() - 1).equals("test")
                    ? r.command().get(0) : null).containsSubsequence(NEW + "/bin/switch-to-configuration", NEWER + "/bin/switch-to-configuration");

            List<FakeDeployer.Request> gets = deployer.requests().stream().filter(r -> r.method().equals("GET")).toList();
            assertThat(gets).allSatisfy(r -> assertThat(r.query()).isEqualTo("wait=30s"));
            assertThat(gets.get(0).status()).isEqualTo(503);
            assertThat(gets.get(1).status()).isEqualTo(204);
            assertThat(gets.get(1).ifNoneMatch()).isNull();
            int first200 = indexOf(gets, 200, 0);
            int second200 = indexOf(gets, 200, first200 + 1);
            assertThat(gets.subList(0, first200)).extracting(FakeDeployer.Request::status).containsOnly(503, 204);
            assertThat(gets.subList(first200 + 1, second200)).as("between the two desired systems: unchanged")
                    .allSatisfy(r -> {
                        assertThat(r.status()).isEqualTo(304);
                        assertThat(r.ifNoneMatch()).isEqualTo(firstTag);
                    }).isNotEmpty();
            assertThat(gets.get(second200 + 1).ifNoneMatch()).isEqualTo(deployer.etag());
            assertThat(console.toString()).containsPattern(
                    "desired-system: the deployer at http://127\\.0\\.0\\.1:\\d+ answered 503: the deployer is starting; asking again in \\d+ ms");
        }
    }

    private static int indexOf(List<FakeDeployer.Request> gets, int status, int from) {
        for (int i = from; i < gets.size(); i++) {
            if (gets.get(i).status() == status) {
                return i;
            }
        }
        throw new AssertionError("no " + status + " answer after request " + from + " in " + gets);
    }

    private static void awaitRequests(FakeDeployer deployer, int count) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (deployer.requests().size() < count && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(deployer.requests().size()).isGreaterThanOrEqualTo(count);
    }

    /** An agent on {@code node} against {@code deployer}, long-polling 30 s, on a manual clock (its pauses take no time). */
    private static Agent agent(FakeDeployer deployer, SimulatedExecutor executor, NodeRoot node, AgentState state,
                               StringWriter console) {
        return new Agent(new AgentClient(deployer.url(), null, Duration.ofSeconds(5)), executor, new SystemProfile(node.root),
                state, new ManualClock(Instant.EPOCH),
                new Agent.Settings(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(5),
                        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2)), false),
                new PrintWriter(console, true));
    }

    /** The agent's loop on a thread of its own, not started; the test ends it with an interrupt. */
    private static Thread loop(Agent agent) {
        return new Thread(() -> {
            try {
                agent.run();
            } catch (InterruptedException e) {
                // stopped by the test
            }
        });
    }

    private static DesiredSystem desired(long generation, String path) {
        return new DesiredSystem("web-7", generation, SystemTarget.storePath(path), "switch", 120, 60, null, "automatic", null);
    }
}
