package com.ultracloud.deployer.installer.facts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a recorded machine tree (what {@code installer facts --root DIR} reads) from a compact text
 * manifest in test resources ({@code src/test/resources/trees/*.tree}). Maven's resource copying does
 * not keep symlinks, and sysfs is mostly symlinks, so the trees are built in a temporary directory by
 * each test instead of being checked in as files.
 * <p>
 * Manifest lines ({@code #} starts a comment line; PATHs are relative to the current {@code in}
 * directory, or to the tree root when they start with {@code /}):
 * <pre>
 * in DIR                    set the current directory ({@code in /} for the tree root)
 * dir PATH                  an (empty) directory
 * file PATH = TEXT          a file holding TEXT and a newline (a kernel attribute)
 * file PATH &lt;&lt;END          a file holding the following lines up to a line "END"
 * bytes PATH = 06 00 00 01  a binary file, hex bytes (EFI variables, SCSI VPD pages)
 * link PATH -&gt; TARGET       a symlink; TARGET must be relative so it resolves inside the tree
 * cpuinfo PATH model="M" sockets=S cores=C threads=T
 *                           a Linux x86 /proc/cpuinfo for S sockets of C cores with T threads each,
 *                           in the kernel's order (first thread of every core, then the siblings);
 *                           core ids have a gap, as on real Xeons (0..C/2-1, then C/2+4..)
 * </pre>
 */
public final class RecordedTree {

    private static final Pattern LINE = Pattern.compile("(\\S+)\\s+(\\S+)(?:\\s+(?:(=|->|<<)\\s?)?(.*))?");
    private static final Pattern CPU_ARG = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");

    private RecordedTree() {
    }

    /** Builds the tree described by resource {@code trees/<name>.tree} under {@code dir}; answers {@code dir}. */
    public static Path build(String name, Path dir) {
        String resource = "/trees/" + name + ".tree";
        try (InputStream in = RecordedTree.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no manifest " + resource);
            }
            build(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList(), dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void build(List<String> lines, Path root) throws IOException {
        Path current = root;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + (i + 1) + ": cannot read '" + line + "'");
            }
            String verb = m.group(1);
            Path path = m.group(2).startsWith("/") ? root.resolve(m.group(2).substring(1)) : current.resolve(m.group(2));
            String value = m.group(4) == null ? "" : m.group(4);
            switch (verb) {
                case "in" -> current = path;
                case "dir" -> Files.createDirectories(path);
                case "file" -> {
                    String text;
                    if ("<<".equals(m.group(3))) {
                        StringBuilder body = new StringBuilder();
                        while (!lines.get(++i).equals(value)) {
                            body.append(lines.get(i)).append('\n');
                        }
                        text = body.toString();
                    } else {
                        text = value + "\n";
                    }
                    write(path, text.getBytes(StandardCharsets.UTF_8));
                }
                case "bytes" -> write(path, HexFormat.of().parseHex(value.replace(" ", "")));
                case "link" -> {
                    if (value.startsWith("/")) {
                        throw new IllegalArgumentException("line " + (i + 1) + ": link target must be relative: " + value);
                    }
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(value));
                }
                case "cpuinfo" -> write(path, cpuinfo(value).getBytes(StandardCharsets.UTF_8));
                default -> throw new IllegalArgumentException("line " + (i + 1) + ": unknown directive " + verb);
            }
        }
    }

    private static void write(Path path, byte[] content) throws IOException {
        Files.createDirectories(path.getParent());
        Files.write(path, content);
    }

    private static String cpuinfo(String args) {
        Map<String, String> a = new java.util.HashMap<>();
        Matcher m = CPU_ARG.matcher(args);
        while (m.find()) {
            a.put(m.group(1), m.group(2).replace("\"", ""));
        }
        int sockets = Integer.parseInt(a.get("sockets"));
        int cores = Integer.parseInt(a.get("cores"));
        int threads = Integer.parseInt(a.get("threads"));
        StringBuilder out = new StringBuilder();
        int processor = 0;
        for (int thread = 0; thread < threads; thread++) {
            for (int socket = 0; socket < sockets; socket++) {
                for (int core = 0; core < cores; core++) {
                    int coreId = core < cores / 2 ? core : core + 4;
                    out.append("processor\t: ").append(processor++).append('\n')
                            .append("vendor_id\t: ").append(a.get("model").startsWith("AMD") ? "AuthenticAMD" : "GenuineIntel").append('\n')
                            .append("model name\t: ").append(a.get("model")).append('\n')
                            .append("physical id\t: ").append(socket).append('\n')
                            .append("siblings\t: ").append(cores * threads).append('\n')
                            .append("core id\t\t: ").append(coreId).append('\n')
                            .append("cpu cores\t: ").append(cores).append('\n')
                            .append("flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx lm constant_tsc\n")
                            .append('\n');
                }
            }
        }
        return out.toString();
    }
}
