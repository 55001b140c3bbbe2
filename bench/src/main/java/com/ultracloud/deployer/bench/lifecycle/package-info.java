/**
 * The lifecycle benchmark, run inside the real gateway jar (Spring Boot's PropertiesLauncher with this
 * module's jar on {@code loader.path}) and active only under the {@code bench} profile; see bench/lifecycle.sh.
 */
package com.ultracloud.deployer.bench.lifecycle;
