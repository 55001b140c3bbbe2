package com.ultracloud.deployer.gateway.machine;

import com.ultracloud.deployer.gateway.config.OpenApiActions;
import io.swagger.v3.oas.models.OpenAPI;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/** {@code POST /api/v1/machines/{id}/{action}} in the OpenAPI description: one path per action of {@link MachineActions}. */
@Component
class MachineActionDocs implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI api) {
        List<OpenApiActions.Action> actions = new ArrayList<>();
        for (String name : MachineActions.names()) {
            MachineActions.Binding<?> binding = MachineActions.byName(name).orElseThrow();
            actions.add(new OpenApiActions.Action(name, binding.bodyType(),
                    "Lifecycle action " + name + " (" + binding.action() + "): docs/lifecycle.md says from which states"));
        }
        OpenApiActions.expand(api, "/api/v1/machines/{id}/{action}", "action", actions, "MachineDetail");
    }
}
