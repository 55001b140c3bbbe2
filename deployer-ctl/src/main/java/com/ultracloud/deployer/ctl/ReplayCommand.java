package com.ultracloud.deployer.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code deployer-ctl debug replay FILE}: a machine's history (JSON Lines, as {@code events} or
 * {@code GET /api/v1/machines/{id}/events?format=jsonl} write it) folded through the real aggregate and checked
 * against the real lifecycle table, without a server: each event, the state after it, and every event the current
 * code would not have recorded, with the rule that refuses it. Exit 1 when there is one.
 */
@Command(name = "replay", description = "Fold an exported machine history (JSON Lines) through the real aggregate and "
        + "lifecycle table: print each event and the state after it, and each event the current code would refuse.")
final class ReplayCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "A machine history as JSON Lines.")
    Path file;

    @Override
    public Integer call() throws Exception {
        return print(HistoryReplay.of(file), System.out);
    }

    static int print(List<HistoryReplay.Line> lines, PrintStream out) {
        int refused = 0;
        for (HistoryReplay.Line line : lines) {
            out.println(line.describe());
            if (line.refused()) {
                refused++;
            }
        }
        out.println(lines.size() + " events, " + refused + " refused by the current lifecycle table");
        return refused == 0 ? 0 : 1;
    }
}
