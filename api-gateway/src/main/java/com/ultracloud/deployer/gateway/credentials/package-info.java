/**
 * Credentials at rest (DESIGN §5): the key-encryption key, the cluster CA (created on first start,
 * sealed in {@code cluster_ca}), each machine's sealed bootstrap secrets and install-token hash
 * ({@code sealed_secret}), the install planner the install saga calls, and the shredder that revokes
 * tokens when an install ends and deletes secrets on reprovision and retire.
 */
package com.ultracloud.deployer.gateway.credentials;
