package com.ultracloud.deployer.gateway.agent;

import com.ultracloud.deployer.gateway.config.DeployerProperties;
import com.ultracloud.deployer.gateway.credentials.ClusterCaStore;
import com.ultracloud.deployer.gateway.enrollment.ClusterIntents;
import com.ultracloud.deployer.machine.domain.credentials.NodeCredentialIssuer;
import com.ultracloud.deployer.machine.domain.credentials.TlsCredential;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The machine-facing HTTPS port: a second Tomcat connector ({@code deployer.bootstrap.https-port}) whose
 * server certificate the cluster CA issues at every start (key in memory only, never stored), asking for —
 * not requiring — a client certificate from the cluster CA: the bootstrap API needs none, the agent API
 * needs the node's ({@link NodeCertificateInterceptor}). A client certificate from another CA fails the
 * handshake.
 * <p>
 * The connector is made with the web server; its certificate is put in once every bean exists (the intent's
 * deployerUrl host goes into it) and before the web server starts, which is when Tomcat reads it.
 */
public class MachineTlsEndpoint implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(MachineTlsEndpoint.class);
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9a-fA-F:]+]?");
    private static final String ALIAS = "deployer";

    private final Connector connector;
    private final SSLHostConfig sslHostConfig;
    private final SSLHostConfigCertificate certificate;
    private final DeployerProperties properties;
    private final ClusterCaStore ca;
    private final ClusterIntents intents;
    private final Clock clock;
    private volatile TlsCredential served;

    MachineTlsEndpoint(DeployerProperties properties, ClusterCaStore ca, ClusterIntents intents, Clock clock) {
        this.properties = properties;
        this.ca = ca;
        this.intents = intents;
        this.clock = clock;
        connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        connector.setPort(properties.bootstrap().httpsPort());
        connector.setScheme("https");
        connector.setSecure(true);
        ((AbstractHttp11Protocol<?>) connector.getProtocolHandler()).setSSLEnabled(true);
        sslHostConfig = new SSLHostConfig();
        sslHostConfig.setCertificateVerification("optional"); // "want": the agent API checks it, bootstrap does not
        sslHostConfig.setProtocols("TLSv1.2+TLSv1.3");
        certificate = new SSLHostConfigCertificate(sslHostConfig, SSLHostConfigCertificate.Type.EC);
        sslHostConfig.addCertificate(certificate);
        connector.addSslHostConfig(sslHostConfig);
    }

    Connector connector() {
        return connector;
    }

    /** The port it listens on (the chosen one when configured as 0); -1 before the web server started. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The certificate it serves (PEM), for tests and operators checking what the installer will see. */
    public String certificatePem() {
        return served.certificatePem();
    }

    @Override
    public void afterSingletonsInstantiated() {
        DeployerProperties.Tls tls = properties.bootstrap().tls();
        Set<String> names = new LinkedHashSet<>(tls.hostnames());
        Set<String> ips = new LinkedHashSet<>(tls.ips());
        deployerUrlHost().ifPresent(host -> (IP_LITERAL.matcher(host).matches() ? ips : names).add(host.replaceAll("[\\[\\]]", "")));
        served = new NodeCredentialIssuer(ca.ca()).issueServerCertificate(new ArrayList<>(names), new ArrayList<>(ips),
                tls.validity(), clock);
        try {
            char[] password = randomPassword();
            PemContent key = PemContent.of(served.privateKeyPem());
            List<X509Certificate> chain = new ArrayList<>(PemContent.of(served.certificatePem()).getCertificates());
            chain.add(ca.ca().certificate());
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            PrivateKey privateKey = key.getPrivateKey();
            keyStore.setKeyEntry(ALIAS, privateKey, password, chain.toArray(X509Certificate[]::new));
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            trustStore.setCertificateEntry("cluster-ca", ca.ca().certificate());
            certificate.setCertificateKeystore(keyStore);
            certificate.setCertificateKeystorePassword(new String(password));
            certificate.setCertificateKeyAlias(ALIAS);
            sslHostConfig.setTrustStore(trustStore);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the machine-facing HTTPS port's key store", e);
        }
        log.info("machine-facing HTTPS (bootstrap, agent API) on port {} with certificate serial {} for {} {} from the cluster CA {}",
                properties.bootstrap().httpsPort() == 0 ? "(any free)" : properties.bootstrap().httpsPort(),
                served.serial(), names, ips, ca.ca().fingerprint());
    }

    /** The host of the cluster intent's deployerUrl, when an intent is imported (installers are told that URL). */
    private java.util.Optional<String> deployerUrlHost() {
        try {
            return intents.current().map(i -> i.state().cluster() == null ? null : i.state().cluster().deployerUrl())
                    .map(url -> URI.create(url).getHost()).filter(h -> h != null && !h.isBlank());
        } catch (RuntimeException e) {
            log.warn("cannot read the cluster intent's deployerUrl for the HTTPS certificate: {}", e.getMessage());
            return java.util.Optional.empty();
        }
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).toCharArray();
    }
}
