/**
 * Root-device hints (DESIGN §4 {@code diskPolicies}): parse and validate the hints an operator wrote,
 * then pick the root disk among the disks the installer reported, naming it by a stable
 * {@code /dev/disk/by-id} or {@code by-path} link and explaining every disk it did not pick.
 * Semantics follow OpenStack Ironic's root device hints. Pure Java: no Spring, no Axon.
 */
package com.ultracloud.deployer.machine.domain.disk;
