package com.ultracloud.deployer.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java -jar ultracloud-installer.jar ...} as a process; stdout and stderr captured to files. */
final class InstallerProcess {

    record Result(int exitCode, String out, String err) {
    }

    private final Process process;
    private final Path out;
    private final Path err;

    private InstallerProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static InstallerProcess start(Path logDir, String... args) throws Exception {
        Files.createDirectories(logDir);
        List<String> cmd = new ArrayList<>(List.of(GatewayProcess.javaBin(), "-jar", GatewayProcess.INSTALLER_JAR.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(logDir, "installer-", ".out");
        Path err = Files.createTempFile(logDir, "installer-", ".err");
        Process p = new ProcessBuilder(cmd).directory(GatewayProcess.REPO.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new InstallerProcess(p, out, err);
    }

    /**
     * {@code installer lab --operator-install --agents} against {@code gateway} (its join secret, admin token and
     * machine-facing HTTPS URL), working in {@code tmp/lab} with its command log in {@code tmp/commands.jsonl}.
     */
    static InstallerProcess labWithAgents(Path tmp, GatewayProcess gateway, String... extraArgs) throws Exception {
        return labWithAgents(tmp, gateway, gateway.joinSecretFile(), gateway.adminTokenFile(), extraArgs);
    }

    /**
     * As {@link #labWithAgents(Path, GatewayProcess, String...)} with the join secret and the operator token from the
     * given files: a replica that did not generate them (another replica's first start did) has neither in its data dir.
     */
    static InstallerProcess labWithAgents(Path tmp, GatewayProcess gateway, Path joinSecret, Path operatorToken,
                                          String... extraArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("lab", "--deployer", gateway.url(), "--operator-install",
                "--join-secret-file", joinSecret.toString(),
                "--operator-token-file", operatorToken.toString(),
                "--work-dir", tmp.resolve("lab").toString(), "--commands", tmp.resolve("commands.jsonl").toString(),
                "--agents", "--agent-url", gateway.httpsUrl()));
        args.addAll(List.of(extraArgs));
        return start(tmp, args.toArray(String[]::new));
    }

    static Result run(Path logDir, String... args) throws Exception {
        return start(logDir, args).await(300);
    }

    Result await(int seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("installer did not finish within " + seconds + " s:\n" + Files.readString(out)
                    + "\n" + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Stops an installer that would wait on (as a machine is powered off). */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    String out() throws java.io.IOException {
        return Files.readString(out);
    }

    /** Lines of its output so far that contain {@code fragment}. */
    long linesContaining(String fragment) throws java.io.IOException {
        try (var lines = Files.lines(out)) {
            return lines.filter(l -> l.contains(fragment)).count();
        }
    }

    /** The lab's operator asked for this many installs so far (each is then planned, partitioned and reported on). */
    long installRequests() throws java.io.IOException {
        return linesContaining("operator: requested the install of");
    }
}
