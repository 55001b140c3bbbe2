package com.ultracloud.deployer.machine.lifecycle;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/lifecycle.md embeds the table and the diagram rendered from {@link Lifecycle}; this test
 * fails when they differ. Run with {@code -Dlifecycle.writeDocs=true} to rewrite the sections.
 */
class LifecycleDocTest {

    static final Path DOC = Path.of("..", "docs", "lifecycle.md");
    static final String TABLE_BEGIN = "<!-- lifecycle-table:begin -->";
    static final String TABLE_END = "<!-- lifecycle-table:end -->";
    static final String DIAGRAM_BEGIN = "<!-- lifecycle-diagram:begin -->";
    static final String DIAGRAM_END = "<!-- lifecycle-diagram:end -->";

    @Test
    void docsLifecycleMatchesTheTable() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String rendered = replaceSection(replaceSection(doc, TABLE_BEGIN, TABLE_END, Lifecycle.markdownTable()),
                DIAGRAM_BEGIN, DIAGRAM_END, "```mermaid\n" + Lifecycle.mermaidDiagram() + "```\n");
        if (Boolean.getBoolean("lifecycle.writeDocs")) {
            Files.writeString(DOC, rendered, StandardCharsets.UTF_8);
            return;
        }
        assertThat(section(doc, TABLE_BEGIN, TABLE_END))
                .as("the table in %s; regenerate with -Dlifecycle.writeDocs=true", DOC)
                .isEqualTo(section(rendered, TABLE_BEGIN, TABLE_END));
        assertThat(section(doc, DIAGRAM_BEGIN, DIAGRAM_END))
                .as("the diagram in %s; regenerate with -Dlifecycle.writeDocs=true", DOC)
                .isEqualTo(section(rendered, DIAGRAM_BEGIN, DIAGRAM_END));
    }

    /** The text between the markers (exclusive). */
    static String section(String doc, String begin, String end) {
        int from = doc.indexOf(begin);
        int to = doc.indexOf(end);
        assertThat(from).as("marker %s", begin).isNotNegative();
        assertThat(to).as("marker %s after %s", end, begin).isGreaterThan(from);
        assertThat(doc.indexOf(begin, from + 1)).as("a second %s", begin).isNegative();
        return doc.substring(from + begin.length(), to);
    }

    static String replaceSection(String doc, String begin, String end, String content) {
        int from = doc.indexOf(begin) + begin.length();
        int to = doc.indexOf(end);
        section(doc, begin, end); // checks the markers
        return doc.substring(0, from) + "\n" + content + doc.substring(to);
    }
}
