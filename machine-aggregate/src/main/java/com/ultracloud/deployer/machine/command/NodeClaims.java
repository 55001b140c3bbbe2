package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.api.MachineId;

import java.util.Optional;

/**
 * The Machine aggregate's port to the fleet-wide values a machine holds alone: its hostname and its node id
 * (issue 14, "uniqueness in the write side"). Implemented by the gateway over a table with a unique key
 * ({@code node_claim}), in the transaction of the command's unit of work: a claim is stored with the events
 * that assign the value, or not at all, so no interleaving of commands on any number of gateways hands one
 * value to two live machines. Resolved by Axon as a handler parameter of the commands that need it.
 */
public interface NodeClaims {

    /** The kind of a claimed value; the wire name is the problem's prefix ({@code hostname-taken}). */
    enum Kind {
        HOSTNAME("hostname", "hostname"),
        NODE_ID("node-id", "nodeId");

        private final String wireName;
        private final String field;

        Kind(String wireName, String field) {
            this.wireName = wireName;
            this.field = field;
        }

        /** As stored and as the problem type says it: {@code hostname}, {@code node-id}. */
        public String wireName() {
            return wireName;
        }

        /** The assignment's field that holds the value: {@code hostname}, {@code nodeId}. */
        public String field() {
            return field;
        }
    }

    /** {@code value} of {@code kind} is held by live machine {@code heldBy} (null: a claim not yet committed). */
    record Taken(Kind kind, String value, String heldBy) {
    }

    /**
     * Claims {@code hostname} and {@code nodeId} for {@code machine}, releasing what else of those kinds it held
     * (a re-commission under another name). Claiming what the machine already holds changes nothing.
     *
     * @return the first value another machine holds (then nothing was claimed), or empty when both are the
     * machine's now
     */
    Optional<Taken> claim(MachineId machine, String hostname, String nodeId);

    /** Releases every value {@code machine} holds (it is retired). */
    void release(MachineId machine);
}
