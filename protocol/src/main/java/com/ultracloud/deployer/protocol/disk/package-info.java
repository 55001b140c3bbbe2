/**
 * Root-device hints (DESIGN §4 {@code diskPolicies}): parse and validate the hints an operator wrote,
 * then pick the root disk among the disks the installer reported, naming it by a stable
 * {@code /dev/disk/by-id} or {@code by-path} link and explaining every disk it did not pick.
 * Semantics follow OpenStack Ironic's root device hints. Part of the protocol contract: the deployer's
 * planner and the installer resolve with this same code, so both sides always agree on the same facts
 * (the installer re-resolves from the plan's {@code rootDevice.matchedHints} and refuses a mismatch).
 * Pure Java over the protocol records: no Spring, no Axon.
 */
package com.ultracloud.deployer.protocol.disk;
