package com.ultracloud.deployer.projection.inventory;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A page of the inventory ({@code GET /api/v1/machines}). {@code total} counts every machine the filters
 * match when {@code totalExact}; with a {@code label} or {@code q} filter it counts at most
 * {@link InventoryListing#COUNT_LIMIT} and says {@code totalExact: false} beyond. {@code next} is the cursor
 * of the page after this one ({@code after=}), absent on the last page.
 */
public record MachinePage(List<MachineSummary> items, int page, int size, long total, boolean totalExact,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String next) {
}
