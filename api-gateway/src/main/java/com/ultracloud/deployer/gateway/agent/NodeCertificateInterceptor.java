package com.ultracloud.deployer.gateway.agent;

import com.ultracloud.deployer.gateway.credentials.ClusterCaStore;
import com.ultracloud.deployer.gateway.credentials.NodeCertificates;
import com.ultracloud.deployer.gateway.problem.ForbiddenException;
import com.ultracloud.deployer.gateway.problem.UnauthorizedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * The node credential at the agent API (DESIGN §10): {@code /api/v1/agent/**} answers only over the
 * machine-facing HTTPS port, to a client certificate the cluster CA issued to a node — looked up by serial
 * (and matched by fingerprint) in {@code node_certificate}, in force, of a machine that is not retired.
 * No certificate (or the plain HTTP port) → 401; unknown or revoked (a retired or reprovisioned machine's) → 403.
 * The machine it names is the request's {@link AgentIdentity}. The installer's netboot image
 * ({@link InstallerImageController}) is served under the same rule.
 */
@Configuration(proxyBeanMethods = false)
class NodeCertificateInterceptor implements HandlerInterceptor, WebMvcConfigurer {

    static final String CLIENT_CERTIFICATES = "jakarta.servlet.request.X509Certificate";
    private static final String CHALLENGE = "ClientCertificate realm=\"deployer-agent\"";

    private final MachineTlsEndpoint endpoint;
    private final NodeCertificates certificates;
    private final ClusterCaStore ca;
    NodeCertificateInterceptor(MachineTlsEndpoint endpoint, NodeCertificates certificates, ClusterCaStore ca) {
        this.endpoint = endpoint;
        this.certificates = certificates;
        this.ca = ca;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/v1/agent/**", DirectiveAnswers.IMAGE_PATH + "/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (request.getLocalPort() != endpoint.port() || !request.isSecure()) {
            throw new UnauthorizedException("the agent API answers only over HTTPS on port " + endpoint.port()
                    + ", to the node's client certificate", CHALLENGE);
        }
        X509Certificate[] chain = (X509Certificate[]) request.getAttribute(CLIENT_CERTIFICATES);
        if (chain == null || chain.length == 0) {
            throw new UnauthorizedException("the agent API needs the node's TLS client certificate "
                    + "(/var/lib/ultracloud/tls/node.crt and node.key)", CHALLENGE);
        }
        X509Certificate leaf = chain[0];
        try {
            // Tomcat verified the chain in the handshake; checked again here so nothing else can slip one in
            leaf.verify(ca.ca().certificate().getPublicKey());
            leaf.checkValidity();
        } catch (GeneralSecurityException e) {
            throw new ForbiddenException("the client certificate is not a valid one of this cluster's CA");
        }
        String serial = leaf.getSerialNumber().toString(16);
        NodeCertificates.NodeCertificate issued = certificates.bySerial(serial)
                .filter(c -> c.fingerprint().equals(fingerprint(leaf)))
                .orElseThrow(() -> new ForbiddenException("certificate serial " + serial + " was not issued to a node"));
        if (issued.revoked()) {
            throw new ForbiddenException("certificate serial " + serial + " of machine " + issued.machineId()
                    + " is revoked (" + issued.revokedReason() + ")");
        }
        // retirement and reprovision revoke the certificate in the transaction of their event (NodeCertificates), so a
        // certificate in force names a machine that is neither: no need to fold the machine's events on every request
        request.setAttribute(AgentIdentity.ATTRIBUTE, new AgentIdentity(issued.machineId(), serial));
        return true;
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new ForbiddenException("the client certificate cannot be encoded");
        }
    }
}
