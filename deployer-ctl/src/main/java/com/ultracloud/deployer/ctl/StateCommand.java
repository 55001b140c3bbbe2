package com.ultracloud.deployer.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code deployer-ctl state ID --at N|T}: the machine as it was after event N or at instant T. */
@Command(name = "state", description = "Print a machine as it was after its event N, or at an instant (ISO-8601).")
final class StateCommand implements Callable<Integer> {

    @Mixin
    Deployer deployer;

    @Parameters(paramLabel = "ID", description = "The machine's id.")
    String machineId;

    @Option(names = "--at", required = true, paramLabel = "N|T", description = "An event sequence number or an instant.")
    String at;

    @Override
    public Integer call() throws Exception {
        System.out.println(deployer.get("/api/v1/machines/" + Deployer.encode(machineId) + "/state?at=" + Deployer.encode(at)));
        return 0;
    }
}
