package com.ultracloud.deployer.gateway.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Settings under {@code deployer.*} (see application.yml for what each means). */
@ConfigurationProperties("deployer")
public record DeployerProperties(Path dataDir, Install install, Bootstrap bootstrap, Api api, Credentials credentials,
                                 Enrollment enrollment, Security security) {

    public DeployerProperties {
        install = install == null ? new Install(3, null, null, null, null, null, null) : install;
        bootstrap = bootstrap == null ? new Bootstrap(15, null, null, null, null, null, null) : bootstrap;
        credentials = credentials == null ? new Credentials(null, null, null, null) : credentials;
        enrollment = enrollment == null ? new Enrollment(true, null, null, 0) : enrollment;
        security = security == null ? new Security(null, null, null) : security;
    }

    /**
     * {@code enabled}: operator authentication and the join secret at discover (default true); false is lab
     * mode: the operator API and discover are open to anyone who reaches the port, each announced by a
     * loud warning; plan secrets stay sealed to the installer's key in every mode (docs/security.md). {@code initialTokenTtl}: the
     * lifetime of the admin token written on first start. {@code oidc}: optional JWTs from an issuer.
     */
    public record Security(Boolean enabled, Duration initialTokenTtl, Oidc oidc) {
        public Security {
            enabled = enabled == null || enabled;
            initialTokenTtl = initialTokenTtl == null ? Duration.ofDays(7) : initialTokenTtl;
            oidc = oidc == null ? new Oidc(null, null, null, null) : oidc;
        }
    }

    /**
     * {@code issuerUri}: the issuer whose JWTs are accepted (blank: OIDC off); its keys come from
     * {@code jwkSetUri}, or from the issuer's discovery document when that is blank. {@code rolesClaim}:
     * the claim holding the roles (a list or a space/comma-separated string; a dotted path such as
     * {@code realm_access.roles} reaches into an object). {@code audience}: when set, the JWT's {@code aud}
     * must contain it.
     */
    public record Oidc(String issuerUri, String jwkSetUri, String rolesClaim, String audience) {
        public Oidc {
            issuerUri = blankToNull(issuerUri);
            jwkSetUri = blankToNull(jwkSetUri);
            rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "roles" : rolesClaim.strip();
            audience = blankToNull(audience);
        }

        public boolean isEnabled() {
            return issuerUri != null;
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }

    /**
     * {@code automation}: whether the enrollment policy acts on the matched node's or rule's auto
     * flags (inspect, commission, install) by itself; off, every step waits for an operator.
     * {@code reconcileAfter}: a machine seen (re-discover, sweep) in the same state for this long gets
     * the step its state calls for again, should the step taken on its event have been lost;
     * {@code sweepInterval} and {@code sweepBatch}: how often, and how many machines at a time, the
     * periodic sweep looks at the machines enrollment may still move.
     */
    public record Enrollment(boolean automation, Duration reconcileAfter, Duration sweepInterval, int sweepBatch) {
        public Enrollment {
            reconcileAfter = reconcileAfter == null ? Duration.ofSeconds(30) : reconcileAfter;
            sweepInterval = sweepInterval == null ? Duration.ofSeconds(60) : sweepInterval;
            sweepBatch = sweepBatch <= 0 ? 200 : sweepBatch;
        }
    }

    /**
     * {@code pendingTimeout}: how long an install-pending machine may wait for its installer to fetch
     * the plan; {@code installingTimeout}: how long an installing machine may stay silent;
     * {@code imageUrl}: the installer image the plan names (default: the cluster's deployerUrl + /images/installer).
     * {@code imageDirectory}: the installer's netboot files ({@code bzImage}, {@code initrd}, {@code netboot.ipxe}),
     * served at /images/installer/ and checksummed for the agents' kexec directives (none: directives say so and the
     * operator boots the image by hand). {@code directiveAcknowledgeTimeout}: how long a node's agent may take to
     * acknowledge a rescue or reprovision directive; {@code directiveBootTimeout}: how long after that the installer
     * may take to discover (docs/day2.md).
     */
    public record Install(int attemptLimit, Duration pendingTimeout, Duration installingTimeout, String imageUrl,
                          String imageDirectory, Duration directiveAcknowledgeTimeout, Duration directiveBootTimeout) {
        public Install {
            pendingTimeout = pendingTimeout == null ? Duration.ofMinutes(30) : pendingTimeout;
            installingTimeout = installingTimeout == null ? Duration.ofMinutes(60) : installingTimeout;
            directiveAcknowledgeTimeout = directiveAcknowledgeTimeout == null ? Duration.ofMinutes(2) : directiveAcknowledgeTimeout;
            directiveBootTimeout = directiveBootTimeout == null ? Duration.ofMinutes(10) : directiveBootTimeout;
        }
    }

    /**
     * {@code maxPlanWait}: the longest a plan long-poll ({@code ?wait=}) may hold a request.
     * {@code joinSecret}: the cluster join secret every discover must carry ({@code X-Join-Secret}); absent, a
     * generated {@code <dataDir>/join-secret}. {@code enrollment}: {@code join-secret} (default) or {@code open}
     * (any discover is accepted, with a warning). {@code rebind}: what a new installer key for a pending
     * install does, {@code automatic} (rotate at once) or {@code operator} (wait for approve-installer).
     * {@code httpsPort}: the machine-facing HTTPS port (bootstrap and agent API; 0 = any free port);
     * {@code tls}: the names and addresses its server certificate carries.
     */
    public record Bootstrap(int pollAfterSeconds, Duration maxPlanWait, String joinSecret, JoinPolicy enrollment,
                            Rebind rebind, Integer httpsPort, Tls tls) {
        public Bootstrap {
            maxPlanWait = maxPlanWait == null ? Duration.ofSeconds(60) : maxPlanWait;
            enrollment = enrollment == null ? JoinPolicy.JOIN_SECRET : enrollment;
            rebind = rebind == null ? Rebind.AUTOMATIC : rebind;
            httpsPort = httpsPort == null ? 8443 : httpsPort;
            tls = tls == null ? new Tls(null, null, null) : tls;
        }

        @Override
        public String toString() {
            return "Bootstrap[pollAfterSeconds=" + pollAfterSeconds + ", maxPlanWait=" + maxPlanWait + ", joinSecret="
                    + (joinSecret == null || joinSecret.isBlank() ? "(none)" : "(redacted)") + ", enrollment=" + enrollment
                    + ", rebind=" + rebind + ", httpsPort=" + httpsPort + ", tls=" + tls + "]";
        }
    }

    public enum JoinPolicy { JOIN_SECRET, OPEN }

    public enum Rebind { AUTOMATIC, OPERATOR }

    /**
     * The machine-facing HTTPS port's server certificate (issued by the cluster CA at every start): DNS names
     * and IP addresses (defaults: localhost and 127.0.0.1; the cluster intent's deployerUrl host is added),
     * and its validity.
     */
    public record Tls(List<String> hostnames, List<String> ips, Duration validity) {
        public Tls {
            hostnames = hostnames == null ? List.of("localhost") : List.copyOf(hostnames);
            ips = ips == null ? List.of("127.0.0.1") : List.copyOf(ips);
            validity = validity == null ? Duration.ofDays(365) : validity;
        }
    }

    /** {@code maxDiscoverBytes}: discover's own, tighter body limit (its facts are stored on every change). */
    public record Api(long maxBodyBytes, long maxDiscoverBytes) {
        public Api {
            maxDiscoverBytes = maxDiscoverBytes <= 0 ? 262_144 : maxDiscoverBytes;
        }
    }

    /**
     * {@code kek}: the key-encryption key, 32 bytes base64 (absent: a generated file {@code <dataDir>/kek});
     * {@code clusterName}: the CA's name; {@code tlsValidity}: node certificates; {@code installTokenTtl}: tokens.
     */
    public record Credentials(String kek, String clusterName, Duration tlsValidity, Duration installTokenTtl) {
        public Credentials {
            clusterName = clusterName == null || clusterName.isBlank() ? "ultracloud" : clusterName;
            tlsValidity = tlsValidity == null ? Duration.ofDays(90) : tlsValidity;
            installTokenTtl = installTokenTtl == null ? Duration.ofHours(2) : installTokenTtl;
        }

        @Override
        public String toString() {
            return "Credentials[kek=" + (kek == null ? "(none)" : "(redacted)") + ", clusterName=" + clusterName
                    + ", tlsValidity=" + tlsValidity + ", installTokenTtl=" + installTokenTtl + "]";
        }
    }
}
