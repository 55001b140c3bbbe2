package com.ultracloud.deployer.installer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.protocol.MachineInventory;
import com.ultracloud.deployer.protocol.MachineInventory.Disk;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Smoke test: {@code installer facts} on the machine the build runs on (a Linux box with a real disk). */
class LiveMachineFactsTest {

    @Test
    void factsOfThisMachineAreAValidDiscoverRequestListingItsRealDisks() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = InstallerCli.newCommandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("facts");

        assertThat(exit).as("stderr: %s", err).isZero();
        MachineInventory facts = new ObjectMapper().readValue(out.toString(), MachineInventory.class);
        assertThat(facts.disks()).as("disks of this machine").isNotEmpty();
        assertThat(facts.disks()).anySatisfy(d -> assertThat(d.sizeBytes()).isPositive());
        for (Disk disk : facts.disks()) {
            String name = disk.name().substring("/dev/".length());
            assertThat(Path.of("/sys/block", name)).as("a real block device").exists();
            assertThat(Path.of("/sys/block", name).toRealPath().toString()).doesNotStartWith("/sys/devices/virtual/");
            long sectors = Long.parseLong(Files.readString(Path.of("/sys/block", name, "size")).trim());
            assertThat(disk.sizeBytes()).isEqualTo(sectors * 512);
        }
        assertThat(facts.disks()).extracting(Disk::name).noneMatch(n -> n.matches("/dev/(loop|zram|ram|dm-).*"));
        assertThat(facts.cpu().threads()).isPositive();
        assertThat(facts.cpu().arch()).isIn("x86_64", "aarch64");
        assertThat(facts.memoryBytes()).isPositive();
        assertThat(facts.boot().mode()).isEqualTo(Files.isDirectory(Path.of("/sys/firmware/efi")) ? "uefi" : "bios");
        assertThat(facts.nics()).extracting(MachineInventory.Nic::name).doesNotContain("lo");
    }
}
