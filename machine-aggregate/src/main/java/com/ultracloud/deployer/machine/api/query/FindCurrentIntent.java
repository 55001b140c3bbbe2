package com.ultracloud.deployer.machine.api.query;

/** The cluster intent in force, or none before the first import. */
public record FindCurrentIntent() {
}
