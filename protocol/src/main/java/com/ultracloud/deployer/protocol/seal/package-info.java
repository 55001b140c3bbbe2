/**
 * Plan secrets sealed to the booted installer (DESIGN §10, docs/bootstrap.md): HPKE (RFC 9180) base mode,
 * DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, Bouncy Castle's implementation. The one place both
 * the gateway (seals) and the installer (opens) take it from, so the two sides cannot drift apart.
 */
package com.ultracloud.deployer.protocol.seal;
