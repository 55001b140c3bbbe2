/**
 * Who may call the operator API: bearer API tokens (hashed at rest) and optional OIDC JWTs, three
 * hierarchical roles, one table that says which role each endpoint needs ({@link
 * com.ultracloud.deployer.gateway.security.AccessTable}), the cross-site write rule, the first-start
 * admin token, and the {@code token} command of the gateway jar.
 */
package com.ultracloud.deployer.gateway.security;
