package com.ultracloud.deployer.gateway.machine;

import com.ultracloud.deployer.machine.api.query.CountMachines;
import com.ultracloud.deployer.projection.inventory.MachineCounts;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Machines per state ({@code GET /api/v1/machines/counts[?nodeClass=][&pool=]}): the console's state tabs. From the
 * counts the inventory keeps, so it costs the same in any fleet.
 */
@RestController
@RequestMapping(path = "/api/v1/machines/counts", produces = MediaType.APPLICATION_JSON_VALUE)
class MachineCountsController {

    private final QueryGateway queries;

    MachineCountsController(QueryGateway queries) {
        this.queries = queries;
    }

    @GetMapping
    MachineCounts counts(@RequestParam(required = false) String nodeClass, @RequestParam(required = false) String pool) {
        return queries.query(new CountMachines(blankToNull(nodeClass), blankToNull(pool)), MachineCounts.class).join();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
