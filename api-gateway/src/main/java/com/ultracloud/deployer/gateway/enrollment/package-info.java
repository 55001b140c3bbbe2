/**
 * Cluster intent and enrollment: {@code PUT/GET /api/v1/cluster/intent}, the preview of an import,
 * matching machines to nodes and rules (with explanations), and the enrollment policy that
 * auto-inspects, auto-commissions and auto-installs as the intent's rules say.
 */
package com.ultracloud.deployer.gateway.enrollment;
