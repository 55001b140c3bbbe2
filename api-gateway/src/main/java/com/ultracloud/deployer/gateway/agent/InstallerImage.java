package com.ultracloud.deployer.gateway.agent;

import com.ultracloud.deployer.gateway.config.DeployerProperties;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The installer's netboot image that the nix-agents kexec into for a rescue or reprovision directive
 * (docs/day2.md): {@code deployer.install.image-directory} holds what NixOS's netboot build makes
 * ({@code system.build.kernel}'s {@code bzImage}, {@code netbootRamdisk}'s {@code initrd} and
 * {@code netbootIpxeScript}'s {@code netboot.ipxe}, whose {@code kernel} line carries {@code init=<toplevel>/init} and
 * the image's kernel parameters). The files' SHA-256 digests go into each directive; they are computed once per file
 * version (size and modification time), so a replaced image is picked up without a restart.
 */
@Component
public class InstallerImage {

    public static final String KERNEL = "bzImage";
    public static final String INITRD = "initrd";
    static final String IPXE = "netboot.ipxe";

    /** The image as the directive gives it: files, their digests and the image's own kernel parameters. */
    public record Netboot(Path kernel, String kernelSha256, Path initrd, String initrdSha256, List<String> kernelParameters) {
    }

    private record Digest(long size, FileTime modified, String sha256) {
    }

    private final Path directory;
    private final Map<Path, Digest> digests = new ConcurrentHashMap<>();

    InstallerImage(DeployerProperties properties) {
        String configured = properties.install().imageDirectory();
        this.directory = configured == null || configured.isBlank() ? null : Path.of(configured).toAbsolutePath();
    }

    /** The file {@code name} ({@value #KERNEL} or {@value #INITRD}) of the image, if one is configured and has it. */
    Optional<Path> file(String name) {
        if (directory == null || !(KERNEL.equals(name) || INITRD.equals(name))) {
            return Optional.empty();
        }
        return Optional.of(directory.resolve(name)).filter(Files::isRegularFile);
    }

    /** The image, or why there is none a directive can carry (a sentence for the operator and the agent). */
    public Result netboot() {
        if (directory == null) {
            return Result.problem("the deployer has no installer netboot image (deployer.install.image-directory is not set)");
        }
        try {
            Path kernel = require(KERNEL);
            Path initrd = require(INITRD);
            List<String> parameters = kernelParameters(Files.readString(require(IPXE), StandardCharsets.UTF_8));
            return new Result(new Netboot(kernel, sha256(kernel), initrd, sha256(initrd), parameters), null);
        } catch (IOException | IllegalStateException e) {
            return Result.problem("the installer netboot image in " + directory + " cannot be used: " + e.getMessage());
        }
    }

    /** The netboot image, or the problem that stands in its way. */
    public record Result(Netboot image, String problem) {
        static Result problem(String problem) {
            return new Result(null, problem);
        }
    }

    /**
     * The kernel parameters of netboot.ipxe's {@code kernel <file> init=… initrd=initrd <params> ${cmdline}} line:
     * without {@code initrd=} (iPXE's name for the initrd it loaded; kexec takes {@code --initrd}) and iPXE variables.
     */
    static List<String> kernelParameters(String ipxe) {
        for (String line : ipxe.split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length > 1 && words[0].equals("kernel")) {
                List<String> parameters = new ArrayList<>();
                for (int i = 2; i < words.length; i++) {
                    if (!words[i].startsWith("initrd=") && !words[i].startsWith("${")) {
                        parameters.add(words[i]);
                    }
                }
                if (parameters.stream().noneMatch(p -> p.startsWith("init="))) {
                    throw new IllegalStateException(IPXE + "'s kernel line has no init= (is it NixOS's netbootIpxeScript?)");
                }
                return List.copyOf(parameters);
            }
        }
        throw new IllegalStateException(IPXE + " has no kernel line");
    }

    private Path require(String name) {
        Path file = directory.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(name + " is missing");
        }
        return file;
    }

    private String sha256(Path file) throws IOException {
        long size = Files.size(file);
        FileTime modified = Files.getLastModifiedTime(file);
        Digest known = digests.get(file);
        if (known != null && known.size() == size && known.modified().equals(modified)) {
            return known.sha256();
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            String hex = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
            digests.put(file, new Digest(size, modified, hex));
            return hex;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
