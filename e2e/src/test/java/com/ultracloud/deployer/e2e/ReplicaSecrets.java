package com.ultracloud.deployer.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What every replica of one deployment must share besides the database (docs/operations.md, "Scale-out"): the KEK
 * that seals the cluster CA and the join secret installers present. Fresh for each test; the join secret is also in a
 * file only its owner reads, as an installer's {@code --join-secret-file}.
 */
record ReplicaSecrets(String kek, String joinSecret, Path joinSecretFile) {

    static ReplicaSecrets create(Path dir) throws IOException {
        SecureRandom random = new SecureRandom();
        byte[] kek = new byte[32];
        random.nextBytes(kek);
        byte[] join = new byte[24];
        random.nextBytes(join);
        String joinSecret = Base64.getUrlEncoder().withoutPadding().encodeToString(join);
        Path file = Files.writeString(dir.resolve("join-secret"), joinSecret + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return new ReplicaSecrets(Base64.getEncoder().encodeToString(kek), joinSecret, file);
    }

    /** A replica's arguments: the postgres profile on {@code jdbcUrl}, these secrets, then {@code more}. */
    String[] args(String jdbcUrl, String... more) {
        List<String> args = new ArrayList<>(List.of("--spring.profiles.active=postgres", "--spring.datasource.url=" + jdbcUrl,
                "--deployer.credentials.kek=" + kek, "--deployer.bootstrap.join-secret=" + joinSecret));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }
}
