/**
 * Credential issuing for machines (DESIGN §5): the cluster CA, node TLS certificates, SSH host keys,
 * install tokens, and sealing of private material with a key-encryption key.
 *
 * <p>Pure domain services: Bouncy Castle and the JDK only, no Spring, no Axon. Nothing here logs, and
 * no {@code toString()} of a class or record that holds private material prints it. Only
 * {@link com.ultracloud.deployer.machine.api.IssuedCredentials} (fingerprints, serials, token hashes)
 * may leave this package towards events and projections.
 */
package com.ultracloud.deployer.machine.domain.credentials;
