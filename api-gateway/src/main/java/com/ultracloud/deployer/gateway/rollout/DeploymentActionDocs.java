package com.ultracloud.deployer.gateway.rollout;

import com.ultracloud.deployer.gateway.config.OpenApiActions;
import io.swagger.v3.oas.models.OpenAPI;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

import java.util.List;

/** {@code POST /api/v1/host-deployments/{id}/{action}} in the OpenAPI description: pause, resume, abort. */
@Component
class DeploymentActionDocs implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI api) {
        OpenApiActions.expand(api, "/api/v1/host-deployments/{id}/{action}", "action", List.of(
                new OpenApiActions.Action("pause", HostDeploymentController.Reason.class, "Pause: no new batch starts"),
                new OpenApiActions.Action("resume", NoBody.class, "Resume a paused deployment"),
                new OpenApiActions.Action("abort", HostDeploymentController.Reason.class,
                        "Abort: no machine is touched again; those mid-activation finish")), "Accepted");
    }

    /** Resume takes no body. */
    private record NoBody() {
    }
}
