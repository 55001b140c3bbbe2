package com.ultracloud.deployer.gateway.machine;

import com.ultracloud.deployer.gateway.problem.NotFoundException;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.query.FindInstallPlan;
import com.ultracloud.deployer.projection.installplan.InstallPlanView;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/machines/{id}/install-plan}: the machine's current plan, without secrets (DESIGN §8). */
@RestController
@RequestMapping(path = "/api/v1/machines", produces = MediaType.APPLICATION_JSON_VALUE)
class InstallPlanController {

    private final QueryGateway queries;
    private final MachineHistory history;

    InstallPlanController(QueryGateway queries, MachineHistory history) {
        this.queries = queries;
        this.history = history;
    }

    @GetMapping("/{id}/install-plan")
    InstallPlanView installPlan(@PathVariable String id) {
        MachineId machineId = MachineController.parseId(id);
        return queries.query(new FindInstallPlan(machineId), ResponseTypes.optionalInstanceOf(InstallPlanView.class))
                .join()
                .orElseThrow(() -> history.exists(machineId)
                        ? new NotFoundException("machine " + id + " has no install plan", id)
                        : NotFoundException.machine(id));
    }
}
