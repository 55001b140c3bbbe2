package com.ultracloud.deployer.ctl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deployer-ctl debug replay} on a real exported history: {@code histories/failed-twice-recovered.jsonl} is what
 * {@code GET /api/v1/machines/{id}/events?format=jsonl} answered for a lab machine (worker-1's hardware) that was
 * discovered, inspected, commissioned, marked failed (ECC errors), recovered, marked failed again (a PSU) and
 * recovered, on the gateway jar of this repository (2026-12-02). The server's {@code state?at=N} for N = 0..7 was
 * DISCOVERED, INSPECTED, COMMISSIONED, COMMISSIONED, FAILED, COMMISSIONED, FAILED, COMMISSIONED: the replay must
 * reproduce them. Such a file is how a bug report becomes a fixture test (docs/debugging.md).
 */
class ReplayTest {

    static final Path HISTORY = Path.of("src/test/resources/histories/failed-twice-recovered.jsonl");

    @TempDir
    Path tmp;

    @Test
    void aRealHistoryReplaysToTheStatesTheServerAnsweredWithNothingRefused() throws Exception {
        List<HistoryReplay.Line> lines = HistoryReplay.of(HISTORY);
        assertThat(lines.stream().map(l -> l.step().after().name())).containsExactly("DISCOVERED", "INSPECTED",
                "COMMISSIONED", "COMMISSIONED", "FAILED", "COMMISSIONED", "FAILED", "COMMISSIONED");
        assertThat(lines.stream().map(l -> l.step().type())).containsExactly("MachineDiscovered", "MachineInspected",
                "MachineCommissioned", "NodeAssigned", "MachineMarkedFailed", "MachineRecovered", "MachineMarkedFailed",
                "MachineRecovered");
        assertThat(lines).noneMatch(HistoryReplay.Line::refused);
        assertThat(DeployerCtl.run("debug", "replay", HISTORY.toString())).isZero();
    }

    @Test
    void anEditedHistoryWithAnImpossibleTransitionIsReportedWithTheRuleThatRefusesIt() throws Exception {
        List<String> original = Files.readAllLines(HISTORY, StandardCharsets.UTF_8);
        // a recovery that claims to lead to ACTIVE, and a commissioning of a machine that was never inspected
        List<String> edited = original.stream().map(l -> l.contains("\"type\":\"MachineRecovered\"")
                ? l.replace("\"state\":\"COMMISSIONED\"", "\"state\":\"ACTIVE\"") : l).collect(Collectors.toList());
        edited.remove(1); // MachineInspected
        Path file = tmp.resolve("edited.jsonl");
        Files.write(file, edited, StandardCharsets.UTF_8);

        List<HistoryReplay.Line> lines = HistoryReplay.of(file);
        assertThat(lines.get(1).step().rejection()).isEqualTo("no row of the lifecycle table records MachineCommissioned "
                + "from DISCOVERED (the actions allowed from DISCOVERED: discover, inspect, mark-failed, retire)");
        assertThat(lines.stream().filter(l -> l.step().type().equals("MachineRecovered")).findFirst().orElseThrow()
                .step().rejection()).isEqualTo("MachineRecovered from FAILED leads to [COMMISSIONED], not to ACTIVE (rows: recover)");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ReplayCommand.print(lines, new PrintStream(out, true, StandardCharsets.UTF_8))).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("REFUSED: no row of the lifecycle table")
                .contains("7 events, 3 refused by the current lifecycle table");
        // MachineCommissioned and the NodeAssigned of that refused commissioning, and the first recovery (after it the
        // machine was ACTIVE, its last stable state, so the second recovery to ACTIVE is what the table says)
        assertThat(DeployerCtl.run("debug", "replay", file.toString())).isEqualTo(1);
    }

    @Test
    void aFileOfAnotherKindIsAClearErrorNotAStackTrace() throws Exception {
        Path file = tmp.resolve("intent.jsonl");
        Files.writeString(file, "{\"aggregateType\":\"ClusterIntent\",\"type\":\"ClusterIntentImported\",\"payload\":{}}\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream before = System.err;
        int exit;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = DeployerCtl.run("debug", "replay", file.toString());
        } finally {
            System.setErr(before);
        }
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("a ClusterIntent event; debug replay folds one machine's history")
                .doesNotContain("\tat ");
    }
}
