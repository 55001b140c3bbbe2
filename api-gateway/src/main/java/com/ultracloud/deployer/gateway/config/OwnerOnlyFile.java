package com.ultracloud.deployer.gateway.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.function.Supplier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/** Files only their owner may read (0600), for secrets kept in the data dir (the KEK, the first admin token). */
public final class OwnerOnlyFile {

    private OwnerOnlyFile() {
    }

    /**
     * Creates {@code file} with mode 0600 (where the file system has POSIX modes) and then writes
     * {@code text}: the mode is set when the file is created, so the secret is never readable by others.
     *
     * @throws java.nio.file.FileAlreadyExistsException if it exists (another process made it first)
     */
    public static void create(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /**
     * The first line of {@code file}; when it does not exist yet, a new secret from {@code generator}
     * written there first ({@link #create}). Two gateways on one data dir agree: the one that loses the
     * race to create the file reads the winner's.
     */
    public static String readOrCreate(Path file, Supplier<String> generator) {
        try {
            if (!Files.exists(file)) {
                try {
                    create(file, generator.get() + "\n");
                } catch (FileAlreadyExistsException raced) {
                    // another gateway on the same data dir made it first: use theirs
                }
            }
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret file " + file, e);
        }
    }
}
