package com.ultracloud.deployer.gateway.config;

import com.ultracloud.deployer.gateway.security.AccessTable;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;

/**
 * The OpenAPI description at {@code /v3/api-docs}: title, version (the build's), the bearer scheme, and on every
 * operation the problem responses it can give ({@code application/problem+json}, the {@code Problem} schema) and the
 * least role it needs, both read from the same tables the gateway enforces ({@link AccessTable}). The per-action
 * bodies of the action endpoints are added where those tables live ({@code MachineActionDocs},
 * {@code DeploymentActionDocs}); this customizer runs last, so they get their problems too. {@code OpenApiTest}
 * checks that every mapped endpoint is described with its problems.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    static final String PROBLEM = "Problem";
    static final String BEARER = "bearer";

    @Bean
    OpenAPI deployerOpenApi(ObjectProvider<BuildProperties> build) {
        String version = build.getIfAvailable() == null ? "development" : build.getIfAvailable().getVersion();
        return new OpenAPI()
                .info(new Info().title("UltraCloud Deployer API").version(version)
                        .description("Bare-metal provisioning for NixOS fleets: machines, their lifecycle actions, "
                                + "install plans, host deployments, the cluster intent, the event store. Operator "
                                + "endpoints take `Authorization: Bearer <API token or JWT>`; each operation names the "
                                + "least role it needs. Machine-facing endpoints (`/api/v1/bootstrap/**`, "
                                + "`/api/v1/agent/**`) take their own credentials. Every error is "
                                + "`application/problem+json` (RFC 9457). Guide: docs/api.md.")
                        .license(new License().name("see the repository")));
    }

    /** RFC 9457 with the deployer's extensions (docs/api.md, "Errors"). */
    private static Schema<?> problemSchema() {
        Schema<?> fieldError = new ObjectSchema()
                .addProperty("field", new StringSchema().description("where: a parameter, header or body path like nics[1].mac"))
                .addProperty("message", new StringSchema());
        return new ObjectSchema().description("A refused or failed request; nothing was written")
                .addProperty("type", new StringSchema().example("urn:ultracloud:problem:invalid-request"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty("errors", new ArraySchema().items(fieldError).description("400: each invalid input"))
                .addProperty("currentState", new StringSchema().description("409 illegal-transition"))
                .addProperty("allowedFrom", new ArraySchema().items(new StringSchema()).description("409 illegal-transition"))
                .addProperty("retryable", new Schema<Boolean>().type("boolean").description("409 concurrent-modification, 503"));
    }

    /** Problems and roles on every operation; {@code /error} (Boot's error page) left out. Runs after the others. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    OpenApiCustomizer problemsAndRoles() {
        return api -> {
            // here rather than on the bean: springdoc replaces the bean's components with the ones it generates
            if (api.getComponents() == null) {
                api.setComponents(new Components());
            }
            api.getComponents().addSchemas(PROBLEM, problemSchema())
                    .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                            .description("An API token (ucd_…) or, with OIDC configured, a JWT of the issuer"));
            api.getPaths().keySet().removeIf(path -> path.equals("/error"));
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) ->
                    describe(path, HttpMethod.valueOf(method.name()), op)));
        };
    }

    private static void describe(String path, HttpMethod method, Operation op) {
        AccessTable.Access access = AccessTable.forTemplate(method, path);
        ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
        op.setResponses(responses);
        boolean hasInput = path.contains("{") || op.getRequestBody() != null
                || (op.getParameters() != null && !op.getParameters().isEmpty());
        boolean writes = method != HttpMethod.GET && method != HttpMethod.HEAD;
        if (hasInput) {
            problem(responses, "400", "invalid-request: a parameter, header, id or body field is invalid; errors[] names each");
        }
        switch (access) {
            case VIEWER, OPERATOR, ADMIN -> {
                String role = access.name().toLowerCase();
                op.addSecurityItem(new SecurityRequirement().addList(BEARER));
                op.setDescription((op.getDescription() == null ? "" : op.getDescription() + "\n\n") + "Least role: **" + role + "**.");
                problem(responses, "401", "unauthorized: no valid API token or JWT");
                problem(responses, "403", "forbidden: the token's role is below " + role);
            }
            case MACHINE -> {
                op.setDescription((op.getDescription() == null ? "" : op.getDescription() + "\n\n")
                        + "Machine-facing: the join secret, an install token or a node certificate (docs/bootstrap.md).");
                problem(responses, "401", "unauthorized: no valid machine credential");
                problem(responses, "403", "forbidden: a credential of another machine, superseded, expired or revoked");
            }
            default -> { }
        }
        if (path.contains("{")) {
            problem(responses, "404", "not-found: no such machine, deployment, action, processor or file");
        }
        if (writes) {
            problem(responses, "409", "illegal-transition, precondition-failed, concurrent-modification or name-taken; nothing written");
        }
        if (op.getRequestBody() != null) {
            problem(responses, "415", "unsupported-media-type: the body is not application/json");
        }
        problem(responses, "406", "the Accept header excludes what this endpoint answers");
        problem(responses, "503", "database-unavailable (or not-caught-up for a minVersion read): temporary, "
                + "retry after the Retry-After header's seconds; nothing written"
                + (writes ? ". command-timeout: the command did not answer in time and may still take effect; "
                + "re-read before repeating it" : ""));
    }

    private static void problem(ApiResponses responses, String status, String description) {
        responses.putIfAbsent(status, new ApiResponse().description(description).content(new Content()
                .addMediaType("application/problem+json", new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
    }
}
