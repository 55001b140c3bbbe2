/**
 * The machine-side installer: plain Java 17 with Jackson, the JDK HttpClient and picocli; no Spring,
 * no Axon (ArchUnit-enforced). {@code facts} collects what the machine announces; {@code cli} is the
 * command line. Wire records come from the {@code protocol} module and are never redefined here.
 */
package com.ultracloud.deployer.installer;
