package com.ultracloud.deployer.machine.api.query;

/** Machines per lifecycle state, optionally of one node class and/or pool (null: any). */
public record CountMachines(String nodeClass, String pool) {
}
