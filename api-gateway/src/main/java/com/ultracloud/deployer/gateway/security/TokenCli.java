package com.ultracloud.deployer.gateway.security;

import com.ultracloud.deployer.gateway.config.DeployerProperties;
import com.ultracloud.deployer.gateway.problem.ConflictException;
import com.ultracloud.deployer.gateway.problem.InvalidRequestException;
import com.ultracloud.deployer.gateway.problem.NotFoundException;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code java -jar ultracloud-deployer.jar token create|list|revoke …}: API tokens straight in the
 * configured database, with the gateway stopped (the embedded H2 file admits one process) — how a lost
 * admin token is recovered. Spring settings on the same command line ({@code --deployer.data-dir=…},
 * {@code --spring.profiles.active=postgres}, {@code --spring.datasource.url=…}) and environment
 * variables choose the database exactly as they do for the server.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Create, list and revoke operator API tokens in the deployer's database (the gateway may be stopped).",
        subcommands = {TokenCli.Create.class, TokenCli.ListTokens.class, TokenCli.Revoke.class, CommandLine.HelpCommand.class},
        version = "token command of the UltraCloud Deployer gateway",
        footer = {"", "The database is chosen by the server's settings, e.g.",
                "  --deployer.data-dir=/var/lib/deployer            (embedded H2; stop the gateway first)",
                "  --spring.profiles.active=postgres",
                "  --spring.datasource.url=jdbc:postgresql://db:5432/deployer"})
public final class TokenCli {

    public static final String COMMAND = "token";
    /** A Spring setting on the command line: {@code --name.with.dots=value}. */
    private static final Pattern SPRING_SETTING = Pattern.compile("--[A-Za-z0-9-]+(\\.[A-Za-z0-9\\[\\]_-]+)+=.*");

    private final Database database;

    private TokenCli(Database database) {
        this.database = database;
    }

    /** Runs {@code token <args>} and answers the exit code: 0 done, 1 refused or failed, 2 bad usage or input. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        List<String> spring = new ArrayList<>();
        List<String> own = new ArrayList<>();
        for (String a : args) {
            (SPRING_SETTING.matcher(a).matches() ? spring : own).add(a);
        }
        try (Database database = new Database(spring.toArray(String[]::new))) {
            CommandLine cli = new CommandLine(new TokenCli(database));
            cli.setOut(out);
            cli.setErr(err);
            cli.setExecutionExceptionHandler((e, line, parsed) -> failed(e, line.getErr()));
            return cli.execute(own.toArray(String[]::new));
        }
    }

    private static int failed(Exception e, PrintWriter err) {
        if (e instanceof InvalidRequestException invalid) {
            invalid.errors().forEach(f -> err.println(f.field() + ": " + f.message()));
            return 2;
        }
        if (e instanceof ConflictException || e instanceof NotFoundException) {
            err.println(e.getMessage());
            return 1;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        err.println("cannot use the deployer's database: " + root.getMessage());
        err.println("(a gateway running on the embedded database holds it: stop it, or use POST /api/v1/admin/tokens)");
        return 1;
    }

    private static String operatingSystemUser() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    /** What every subcommand has: the store (opened on first use) and its output streams. */
    abstract static class Subcommand implements Callable<Integer> {
        @ParentCommand
        TokenCli parent;
        @Spec
        CommandLine.Model.CommandSpec spec;

        ApiTokens tokens() {
            return parent.database.tokens();
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a token and print it (once: only its hash is stored).")
    static final class Create extends Subcommand {
        @Option(names = "--name", required = true, description = "unique name; events record requests as token:<name>")
        String name;
        @Option(names = "--role", required = true, description = "viewer, operator or admin")
        String role;
        @Option(names = "--expires", description = "lifetime: 30d, 12h, 90m or P30D (default: 90d)")
        String expires;

        @Override
        public Integer call() {
            ApiTokens.Issued issued = tokens().create(name, role, expires, operatingSystemUser());
            out().println(issued.secret());
            spec.commandLine().getErr().println("API token '" + name + "' (" + issued.token().role().wire()
                    + ") expires " + issued.token().expiresAt() + "; it is shown only this once");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their secrets).")
    static final class ListTokens extends Subcommand {
        @Override
        public Integer call() {
            PrintWriter out = out();
            Instant now = Instant.now();
            String row = "%-24s %-9s %-8s %-30s %s%n";
            out.printf(row, "NAME", "ROLE", "STATUS", "EXPIRES", "CREATED BY");
            for (ApiToken t : tokens().list()) {
                out.printf(row, t.name(), t.role().wire(), t.status(now), t.expiresAt(), t.createdBy());
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token: it is refused from now on.")
    static final class Revoke extends Subcommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            ApiToken t = tokens().revoke(name, operatingSystemUser());
            out().println("API token '" + t.name() + "' revoked at " + t.revokedAt());
            return 0;
        }
    }

    /** The token store on the configured database, opened on first use (so {@code --help} needs none). */
    private static final class Database implements AutoCloseable {
        private final String[] settings;
        private ConfigurableApplicationContext context;

        Database(String[] settings) {
            this.settings = settings;
        }

        ApiTokens tokens() {
            if (context == null) {
                context = new SpringApplicationBuilder(StoreOnly.class).web(WebApplicationType.NONE)
                        .bannerMode(org.springframework.boot.Banner.Mode.OFF).logStartupInfo(false)
                        .registerShutdownHook(false)
                        // stdout carries the token: no log lines in it; failures are reported by the command
                        .properties("logging.level.root=OFF")
                        .run(settings);
            }
            return context.getBean(ApiTokens.class);
        }

        @Override
        public void close() {
            if (context != null) {
                context.close();
            }
        }
    }

    /**
     * Only the database (migrated by Flyway as the server would) and the token store: no web server,
     * no Axon, no schedulers. Not a {@code @Configuration}, so the server's component scan skips it.
     */
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            JdbcTemplateAutoConfiguration.class, FlywayAutoConfiguration.class})
    @EnableConfigurationProperties(DeployerProperties.class)
    @Import(ApiTokens.class)
    static class StoreOnly {
        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }
    }
}
