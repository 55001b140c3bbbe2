/**
 * Events of the Machine aggregate: past-tense records. Events that move the lifecycle implement
 * {@link com.ultracloud.deployer.machine.api.event.StateChanged} and carry the state they lead to,
 * so any fold of the stream (projections, audit, state-as-of) needs no lifecycle logic of its own.
 */
package com.ultracloud.deployer.machine.api.event;
