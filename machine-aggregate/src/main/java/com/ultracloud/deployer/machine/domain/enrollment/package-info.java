/**
 * Enrollment: which fixed node or enrollment rule a discovered machine belongs to, what it is
 * assigned (class, pool, hostname, labels), and why — with the first failing selector of every
 * rule that did not match.
 */
package com.ultracloud.deployer.machine.domain.enrollment;
