package com.ultracloud.deployer.gateway;

import com.ultracloud.deployer.gateway.config.DeployerProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The root {@code compose.yaml} (issue 14; no Docker engine runs on the build machines, so it is checked here, not
 * run): per compose profile, two gateways on one database with one KEK and one join secret, health checks and
 * {@code service_healthy} dependencies, distinct host ports, Prometheus scraping both gateways; and every setting it
 * gives a gateway is one the gateway binds (checked with Spring Boot's own environment-variable mapping), so the file
 * cannot drift from the code.
 */
class ComposeFileTest {

    static final Path ROOT = root();
    static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z0-9_]+)(:?[?-][^}]*)?}");
    /** Stand-ins for the variables the operator exports (docs/operations.md); the KEK is a valid one. */
    static final Map<String, String> EXPORTED = Map.of(
            "DEPLOYER_DB_PASSWORD", "db-password",
            "DEPLOYER_KEK", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
            "DEPLOYER_JOIN_SECRET", "join-secret-for-the-compose-test");

    /** Spring Boot maps variable names onto properties (dashes dropped) only for a source of this name. */
    static final String ENVIRONMENT = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;

    static Map<String, Object> compose;
    static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        try (Reader in = Files.newBufferedReader(ROOT.resolve("compose.yaml"))) {
            compose = new Yaml().load(in);
        }
        services = (Map<String, Map<String, Object>>) compose.get("services");
    }

    @Test
    void eachProfileHasPostgresTwoGatewaysAndPrometheusAndTheAxonserverProfileHasAxonServer() {
        assertThat(active("postgres").keySet()).containsExactlyInAnyOrder("postgres", "gateway-a", "gateway-b", "prometheus");
        assertThat(active("axonserver").keySet()).containsExactlyInAnyOrder("postgres", "axonserver",
                "gateway-a-axonserver", "gateway-b-axonserver", "prometheus");
        assertThat(image("postgres")).isEqualTo("postgres:15");
        assertThat(image("axonserver")).startsWith("axoniq/axonserver:");
        assertThat(image("prometheus")).startsWith("prom/prometheus:");
        services.keySet().forEach(s -> assertThat(image(s)).as(s + " is pinned to a tag").matches("[^:]+:[^:]+")
                .doesNotEndWith(":latest"));
    }

    @Test
    void bothGatewaysOfAProfileRunTheBuiltJarWithThatSpringProfileOnOneDatabaseWithOneKekAndJoinSecret() throws IOException {
        assertThat(Files.readString(ROOT.resolve("api-gateway/pom.xml"))).contains("<finalName>ultracloud-deployer</finalName>");
        Map<String, Object> db = env("postgres");
        for (String profile : List.of("postgres", "axonserver")) {
            List<String> gateways = gateways(profile);
            assertThat(gateways).as(profile).hasSize(2);
            for (String g : gateways) {
                assertThat(String.join(" ", strings(services.get(g).get("command")))).contains("-jar /opt/deployer/ultracloud-deployer.jar");
                assertThat(strings(services.get(g).get("volumes")))
                        .contains("./api-gateway/target/ultracloud-deployer.jar:/opt/deployer/ultracloud-deployer.jar:ro");
                Map<String, Object> e = env(g);
                assertThat(e.get("SPRING_PROFILES_ACTIVE")).as(g).isEqualTo(profile);
                assertThat(e.get("SPRING_DATASOURCE_URL")).as(g)
                        .isEqualTo("jdbc:postgresql://postgres:5432/" + db.get("POSTGRES_DB"));
                assertThat(e.get("SPRING_DATASOURCE_USERNAME")).isEqualTo(db.get("POSTGRES_USER"));
                assertThat(e.get("SPRING_DATASOURCE_PASSWORD")).isEqualTo(db.get("POSTGRES_PASSWORD"));
                if (profile.equals("axonserver")) {
                    assertThat(e.get("AXON_AXONSERVER_SERVERS")).isEqualTo("axonserver:8124");
                }
            }
            Map<String, Object> a = env(gateways.get(0));
            Map<String, Object> b = env(gateways.get(1));
            for (String shared : List.of("SPRING_DATASOURCE_URL", "DEPLOYER_CREDENTIALS_KEK", "DEPLOYER_BOOTSTRAP_JOINSECRET",
                    "DEPLOYER_BOOTSTRAP_TLS_HOSTNAMES")) {
                assertThat(a.get(shared)).as(profile + ": " + shared + " set and shared").isNotNull().isEqualTo(b.get(shared));
            }
            // the secrets come from the operator's environment, never from the file
            assertThat(a.get("DEPLOYER_CREDENTIALS_KEK")).asString().startsWith("${DEPLOYER_KEK:?");
            assertThat(a.get("DEPLOYER_BOOTSTRAP_JOINSECRET")).asString().startsWith("${DEPLOYER_JOIN_SECRET:?");
        }
    }

    @Test
    void everyServiceHasAHealthCheckAndEveryDependencyWaitsForHealthWithinItsProfile() {
        for (String profile : List.of("postgres", "axonserver")) {
            Map<String, Map<String, Object>> active = active(profile);
            active.forEach((name, service) -> {
                assertThat(service.get("healthcheck")).as(name + " healthcheck").isInstanceOf(Map.class);
                dependsOn(name).forEach((target, condition) -> {
                    assertThat(active).as(profile + ": " + name + " depends on " + target).containsKey(target);
                    assertThat(condition).as(name + " -> " + target).isEqualTo("service_healthy");
                });
            });
            for (String g : gateways(profile)) {
                assertThat(dependsOn(g)).containsEntry("postgres", "service_healthy");
                String port = String.valueOf(env(g).get("SERVER_PORT"));
                assertThat(String.join(" ", strings(healthcheck(g).get("test"))))
                        .contains("/dev/tcp/127.0.0.1/" + port).contains("/actuator/health");
                if (profile.equals("axonserver")) {
                    assertThat(dependsOn(g)).containsEntry("axonserver", "service_healthy");
                }
            }
            // the second replica starts after the first one's first start (schema, cluster CA, admin token)
            assertThat(dependsOn(gateways(profile).get(1))).containsEntry(gateways(profile).get(0), "service_healthy");
        }
    }

    @Test
    void hostPortsAreDistinctWithinAProfileAndReachEachGatewaysHttpAndHttpsPorts() {
        for (String profile : List.of("postgres", "axonserver")) {
            List<String> hostPorts = new ArrayList<>();
            active(profile).keySet().forEach(s -> ports(s).forEach(p -> hostPorts.add(p.hostPort())));
            assertThat(hostPorts).as(profile).doesNotHaveDuplicates();
            for (String g : gateways(profile)) {
                Set<String> containerPorts = new HashSet<>();
                ports(g).forEach(p -> containerPorts.add(p.containerPort()));
                assertThat(containerPorts).as(g).containsExactlyInAnyOrder(String.valueOf(env(g).get("SERVER_PORT")),
                        String.valueOf(env(g).get("DEPLOYER_BOOTSTRAP_HTTPSPORT")));
                // the operator API and console are not published on every interface
                ports(g).stream().filter(p -> p.containerPort().equals(String.valueOf(env(g).get("SERVER_PORT"))))
                        .forEach(p -> assertThat(p.address()).as(g).isEqualTo("127.0.0.1"));
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesBothGatewaysOfEitherProfileWithAViewerTokenFromAFile() throws IOException {
        assertThat(strings(services.get("prometheus").get("volumes")))
                .contains("./deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro", "./deploy/secrets:/etc/prometheus/secrets:ro");
        assertThat(ROOT.resolve("deploy/secrets")).isDirectory();
        Map<String, Object> config;
        try (Reader in = Files.newBufferedReader(ROOT.resolve("deploy/prometheus.yml"))) {
            config = new Yaml().load(in);
        }
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) config.get("scrape_configs");
        assertThat(jobs).hasSize(1);
        Map<String, Object> job = jobs.get(0);
        assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
        Map<String, Object> auth = (Map<String, Object>) job.get("authorization");
        assertThat(auth.get("type")).isEqualTo("Bearer");
        assertThat(String.valueOf(auth.get("credentials_file"))).startsWith("/etc/prometheus/secrets/");
        List<String> targets = new ArrayList<>();
        ((List<Map<String, Object>>) job.get("static_configs")).forEach(c -> targets.addAll(strings(c.get("targets"))));
        for (String profile : List.of("postgres", "axonserver")) {
            List<String> reachable = new ArrayList<>();
            for (String g : gateways(profile)) {
                reachable.add(dnsName(g, targets) + ":" + env(g).get("SERVER_PORT"));
            }
            assertThat(targets).as(profile + ": Prometheus scrapes both gateways").containsExactlyInAnyOrderElementsOf(reachable);
        }
    }

    @Test
    void everySettingGivenToAGatewayIsOneTheGatewayBinds() {
        Set<String> known = knownProperties();
        for (String profile : List.of("postgres", "axonserver")) {
            for (String g : gateways(profile)) {
                env(g).forEach((name, value) -> assertThat(propertyOf(name, String.valueOf(value), known))
                        .as(g + ": " + name + " names no property the gateway binds").isNotNull());
            }
        }
        // and the check is not vacuous: a misspelt name is caught
        assertThat(propertyOf("DEPLOYER_BOOTSTRAP_JOINSECRETS", "x", known)).isNull();
        assertThat(propertyOf("DEPLOYER_CREDENTIAL_KEK", "x", known)).isNull();
    }

    @Test
    void theGatewaysSettingsBindToTheValuesTheFileMeans() {
        for (String profile : List.of("postgres", "axonserver")) {
            for (String g : gateways(profile)) {
                Map<String, Object> resolved = new LinkedHashMap<>();
                env(g).forEach((name, value) -> resolved.put(name, interpolate(String.valueOf(value))));
                StandardEnvironment environment = new StandardEnvironment();
                environment.getPropertySources().replace(ENVIRONMENT, new SystemEnvironmentPropertySource(ENVIRONMENT, resolved));
                DeployerProperties p = Binder.get(environment).bind("deployer", DeployerProperties.class).get();
                assertThat(p.credentials().kek()).isEqualTo(EXPORTED.get("DEPLOYER_KEK"));
                assertThat(p.bootstrap().joinSecret()).isEqualTo(EXPORTED.get("DEPLOYER_JOIN_SECRET"));
                assertThat(p.bootstrap().httpsPort()).isEqualTo(8443);
                assertThat(p.dataDir()).isEqualTo(Path.of("/var/lib/deployer"));
                assertThat(p.bootstrap().tls().hostnames()).contains("gateway-a", "gateway-b");
                Binder binder = Binder.get(environment);
                assertThat(binder.bind("spring.profiles.active", String[].class).get()).containsExactly(profile);
                assertThat(binder.bind("spring.datasource.password", String.class).get()).isEqualTo("db-password");
                assertThat(binder.bind("server.port", Integer.class).get()).isEqualTo(8080);
            }
        }
    }

    /** The property an environment variable sets, by Spring Boot's own mapping, among the gateway's known ones; or null. */
    private static String propertyOf(String variable, String value, Set<String> known) {
        ConfigurationPropertySource source = ConfigurationPropertySources.from(
                new SystemEnvironmentPropertySource(ENVIRONMENT, Map.of(variable, value))).iterator().next();
        for (String name : known) {
            if (source.getConfigurationProperty(ConfigurationPropertyName.of(name)) != null) {
                return name;
            }
        }
        return null;
    }

    /**
     * Every leaf of {@link DeployerProperties} in its canonical (kebab-case) form, every key application.yml sets
     * (spring.*, server.*, axon.*, ...), and the Spring Boot keys application.yml leaves to the command line.
     */
    static Set<String> knownProperties() {
        Set<String> known = new TreeSet<>(List.of("spring.profiles.active"));
        leaves("deployer", DeployerProperties.class, known);
        try (Reader in = Files.newBufferedReader(ROOT.resolve("api-gateway/src/main/resources/application.yml"))) {
            for (Object document : new Yaml().loadAll(in)) {
                flatten("", document, known);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        known.removeIf(name -> !ConfigurationPropertyName.isValid(name));
        return known;
    }

    private static void leaves(String prefix, Class<?> type, Set<String> out) {
        for (RecordComponent c : type.getRecordComponents()) {
            String name = prefix + "." + c.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            if (c.getType().isRecord()) {
                leaves(name, c.getType(), out);
            } else {
                out.add(name);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object node, Set<String> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
        } else if (!prefix.isEmpty()) {
            out.add(prefix);
        }
    }

    private static String interpolate(String value) {
        Matcher m = INTERPOLATION.matcher(value);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            assertThat(EXPORTED).as("variable ${" + m.group(1) + "} is one docs/operations.md names").containsKey(m.group(1));
            m.appendReplacement(b, Matcher.quoteReplacement(EXPORTED.get(m.group(1))));
        }
        return m.appendTail(b).toString();
    }

    /** The services that {@code docker compose --profile PROFILE up} starts: those without profiles and those of PROFILE. */
    private static Map<String, Map<String, Object>> active(String profile) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        services.forEach((name, s) -> {
            List<String> profiles = s.containsKey("profiles") ? strings(s.get("profiles")) : List.of();
            if (profiles.isEmpty() || profiles.contains(profile)) {
                out.put(name, s);
            }
        });
        return out;
    }

    /** The gateways of a profile, in the order they start. */
    private static List<String> gateways(String profile) {
        return active(profile).keySet().stream()
                .filter(s -> String.join(" ", strings(services.get(s).getOrDefault("command", List.of()))).contains("ultracloud-deployer.jar"))
                .toList();
    }

    /** The name a gateway is reached by on the compose network: its service name, or the alias Prometheus uses. */
    @SuppressWarnings("unchecked")
    private static String dnsName(String gateway, List<String> targets) {
        List<String> names = new ArrayList<>(List.of(gateway));
        Object networks = services.get(gateway).get("networks");
        if (networks instanceof Map<?, ?> map) {
            map.values().forEach(n -> {
                if (n instanceof Map<?, ?> net && net.get("aliases") != null) {
                    names.addAll(strings(net.get("aliases")));
                }
            });
        }
        return names.stream().filter(n -> targets.stream().anyMatch(t -> t.startsWith(n + ":"))).findFirst().orElse(gateway);
    }

    private static String image(String service) {
        return String.valueOf(services.get(service).get("image"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(String service) {
        return (Map<String, Object>) services.get(service).get("environment");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> healthcheck(String service) {
        return (Map<String, Object>) services.get(service).get("healthcheck");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> dependsOn(String service) {
        Map<String, String> out = new LinkedHashMap<>();
        Object deps = services.get(service).get("depends_on");
        if (deps instanceof List<?> list) {
            list.forEach(d -> out.put(String.valueOf(d), "service_started")); // the short form waits for nothing
        } else if (deps instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(((Map<String, Object>) v).get("condition"))));
        }
        return out;
    }

    record Port(String address, String hostPort, String containerPort) {
    }

    private static List<Port> ports(String service) {
        if (!services.get(service).containsKey("ports")) {
            return List.of();
        }
        return strings(services.get(service).get("ports")).stream().map(p -> {
            String[] parts = p.split(":");
            return parts.length == 3 ? new Port(parts[0], parts[1], parts[2]) : new Port("0.0.0.0", parts[0], parts[1]);
        }).toList();
    }

    private static List<String> strings(Object list) {
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }

    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("compose.yaml")) && Files.isDirectory(dir.resolve("api-gateway"))) {
                return dir;
            }
        }
        throw new IllegalStateException("compose.yaml not found above " + Path.of("").toAbsolutePath());
    }
}
