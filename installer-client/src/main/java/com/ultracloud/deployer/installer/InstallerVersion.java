package com.ultracloud.deployer.installer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The installer's version: {@code Implementation-Version} of the jar manifest; when running from
 * classes (tests) the Maven-filtered {@code installer-version.properties}.
 */
public final class InstallerVersion {

    private InstallerVersion() {
    }

    public static String current() {
        String fromManifest = InstallerVersion.class.getPackage().getImplementationVersion();
        if (fromManifest != null) {
            return fromManifest;
        }
        try (InputStream in = InstallerVersion.class.getResourceAsStream("/installer-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
