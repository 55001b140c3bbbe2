package com.ultracloud.deployer.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code deployer-ctl tokens create|list|revoke}: API tokens (an admin token is needed). */
@Command(name = "tokens", description = "API tokens: create, list, revoke (admin).",
        subcommands = {TokensCommand.Create.class, TokensCommand.ListCommand.class, TokensCommand.Revoke.class})
final class TokensCommand {

    @Command(name = "create", description = "A new token; its secret is printed once, on stdout alone, for a file.")
    static final class Create implements Callable<Integer> {
        @Mixin
        Deployer deployer;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--role", required = true, description = "viewer, operator or admin.")
        String role;

        @Option(names = "--expires-in", paramLabel = "DURATION", description = "e.g. 30d, 12h (default: the deployer's).")
        String expiresIn;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = Deployer.JSON.createObjectNode().put("name", name).put("role", role);
            if (expiresIn != null) {
                body.put("expiresIn", expiresIn);
            }
            JsonNode created = deployer.call("POST", "/api/v1/admin/tokens", body);
            System.out.println(created.path("token").asText());
            System.err.println("created " + name + " (" + created.path("role").asText() + "), expires "
                    + MachinesCommand.text(created, "expiresAt") + "; the token above is shown only now");
            return 0;
        }
    }

    @Command(name = "list", description = "Every token, without its secret.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        Deployer deployer;

        @Mixin
        Output output;

        @Override
        public Integer call() throws Exception {
            JsonNode tokens = deployer.getJson("/api/v1/admin/tokens");
            if (output.printedJson(tokens)) {
                return 0;
            }
            Table t = new Table("NAME", "ROLE", "STATUS", "CREATED", "BY", "EXPIRES");
            JsonNode items = tokens.isArray() ? tokens : tokens.path("items");
            for (JsonNode k : items) {
                t.row(k.path("name").asText(), k.path("role").asText(), k.path("status").asText(), MachinesCommand.text(k, "createdAt"),
                        MachinesCommand.text(k, "createdBy"), MachinesCommand.text(k, "expiresAt"));
            }
            t.print(System.out);
            return 0;
        }
    }

    @Command(name = "revoke", description = "Refused from now on, by every replica.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        Deployer deployer;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            JsonNode r = deployer.call("DELETE", "/api/v1/admin/tokens/" + Deployer.encode(name), null);
            System.out.println(name + ": " + r.path("status").asText("revoked"));
            return 0;
        }
    }
}
