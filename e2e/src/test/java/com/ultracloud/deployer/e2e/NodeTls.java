package com.ultracloud.deployer.e2e;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;

/** A JDK HttpClient that is the installed node: its key and certificate as the installer wrote them, trusting its CA. */
final class NodeTls {

    private NodeTls() {
    }

    /** {@code tls} holds node.key (PKCS#8 PEM), node.crt and ca.crt, as under /var/lib/ultracloud/tls. */
    static HttpClient client(Path tls) throws Exception {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        Certificate node;
        Certificate ca;
        try (InputStream in = Files.newInputStream(tls.resolve("node.crt"))) {
            node = x509.generateCertificate(in);
        }
        try (InputStream in = Files.newInputStream(tls.resolve("ca.crt"))) {
            ca = x509.generateCertificate(in);
        }
        String pem = Files.readString(tls.resolve("node.key"));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("node", key, "pw".toCharArray(), new Certificate[]{node});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "pw".toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
    }
}
