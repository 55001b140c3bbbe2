package com.ultracloud.deployer.gateway.machine;

import com.ultracloud.deployer.gateway.problem.NotCaughtUpException;
import com.ultracloud.deployer.gateway.problem.NotFoundException;
import com.ultracloud.deployer.gateway.readpath.MachineSignals;
import com.ultracloud.deployer.gateway.readpath.ReadWaits;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.query.FindInstallPlan;
import com.ultracloud.deployer.projection.installplan.InstallPlanProjection;
import com.ultracloud.deployer.projection.installplan.InstallPlanView;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

import java.util.Optional;

/**
 * {@code GET /api/v1/machines/{id}/install-plan}: the machine's current plan, without secrets (DESIGN §8).
 * {@code minVersion=N}: answered once the install-plan read model has folded the machine's version N (its
 * {@code version}); when the machine had no plan at version N, the 404 comes at once.
 */
@RestController
@RequestMapping(path = "/api/v1/machines", produces = MediaType.APPLICATION_JSON_VALUE)
class InstallPlanController {

    private final QueryGateway queries;
    private final MachineHistory history;
    private final MachineSignals signals;
    private final ReadWaits waits;

    InstallPlanController(QueryGateway queries, MachineHistory history, MachineSignals signals, ReadWaits waits) {
        this.queries = queries;
        this.history = history;
        this.signals = signals;
        this.waits = waits;
    }

    /** What the read model answers once it is recent enough: the plan, or none (404). */
    private record Answer(InstallPlanView plan) {
    }

    @GetMapping("/{id}/install-plan")
    DeferredResult<InstallPlanView> installPlan(@PathVariable String id,
                                                @RequestParam(required = false) String minVersion) {
        MachineId machineId = MachineController.parseId(id);
        Long min = ReadWaits.parseMinVersion(minVersion);
        if (min == null) {
            DeferredResult<InstallPlanView> now = new DeferredResult<>();
            now.setResult(find(machineId).orElseThrow(() -> missing(machineId, id)));
            return now;
        }
        MachineController.requireVersion(history, machineId, min);
        // whether the read model, once it has folded version N, holds a plan (its own rule, on the event store)
        boolean planAtMin = InstallPlanProjection.holdsPlanAfter(history.payloadsThrough(machineId, min));
        return ReadWaits.deferred(signals.<Answer>await(id, waits.minVersionWait(), () -> {
            Optional<InstallPlanView> row = find(machineId);
            if (row.isPresent() && row.get().version() != null && row.get().version() >= min) {
                return Optional.of(new Answer(row.get()));
            }
            return row.isEmpty() && !planAtMin ? Optional.of(new Answer(null)) : Optional.empty();
        }).thenApply(a -> a.orElseThrow(() -> new NotCaughtUpException("the install-plan read model", id, min,
                find(machineId).map(InstallPlanView::version).orElse(null), waits.retryAfterSeconds())))
                .thenApply(a -> {
                    if (a.plan() == null) {
                        throw missing(machineId, id);
                    }
                    return a.plan();
                }), waits.minVersionWait());
    }

    private Optional<InstallPlanView> find(MachineId machineId) {
        return queries.query(new FindInstallPlan(machineId), ResponseTypes.optionalInstanceOf(InstallPlanView.class))
                .join();
    }

    private NotFoundException missing(MachineId machineId, String id) {
        return history.exists(machineId) ? new NotFoundException("machine " + id + " has no install plan", id)
                : NotFoundException.machine(id);
    }
}
