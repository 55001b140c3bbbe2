package com.ultracloud.deployer.gateway.config;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

import java.util.Map;

/**
 * One action endpoint ({@code POST …/{action}}) described as one path per action, each with its own body: the
 * handler is one method reading the body type from a table, which the generated description cannot see.
 */
public final class OpenApiActions {

    private OpenApiActions() {
    }

    /** One action: its name in the path, its body type (a record without components: no body) and what it does. */
    public record Action(String name, Class<?> body, String summary) {
    }

    /**
     * Replaces {@code template}'s POST by one path per action; each answers 202 with {@code responseSchema} (a
     * component name). Parameters other than {@code variable} (ids, headers) are kept.
     */
    public static void expand(OpenAPI api, String template, String variable, Iterable<Action> actions, String responseSchema) {
        PathItem item = api.getPaths() == null ? null : api.getPaths().remove(template);
        if (item == null || item.getPost() == null) {
            return;
        }
        Operation post = item.getPost();
        for (Action action : actions) {
            Operation op = new Operation().tags(post.getTags()).summary(action.summary())
                    .operationId(post.getOperationId() + "_" + action.name().replace('-', '_'))
                    .description(post.getDescription());
            if (post.getParameters() != null) {
                for (Parameter p : post.getParameters()) {
                    if (!variable.equals(p.getName())) {
                        op.addParametersItem(p);
                    }
                }
            }
            Schema<?> body = bodySchema(api, action.body());
            if (body != null) {
                op.requestBody(new RequestBody().required(false).description("optional: every field may be left out")
                        .content(new Content().addMediaType("application/json", new MediaType().schema(body))));
            }
            op.responses(new ApiResponses().addApiResponse("202", new ApiResponse().description("accepted: the state after it")
                    .content(new Content().addMediaType("application/json",
                            new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + responseSchema))))));
            api.getPaths().addPathItem(template.replace("{" + variable + "}", action.name()), new PathItem().post(op));
        }
    }

    /** The body's schema, inline (action bodies share simple names with other types); null for no body. */
    private static Schema<?> bodySchema(OpenAPI api, Class<?> type) {
        if (type.isRecord() && type.getRecordComponents().length == 0) {
            return null;
        }
        ResolvedSchema resolved = ModelConverters.getInstance().readAllAsResolvedSchema(type);
        if (resolved == null || resolved.schema == null) {
            return null;
        }
        Map<String, Schema> referenced = resolved.referencedSchemas;
        if (referenced != null) {
            referenced.forEach((name, schema) -> {
                if (!name.equals(type.getSimpleName())) {
                    api.getComponents().getSchemas().putIfAbsent(name, schema);
                }
            });
        }
        return resolved.schema;
    }
}
