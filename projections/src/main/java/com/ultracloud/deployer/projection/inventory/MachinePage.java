package com.ultracloud.deployer.projection.inventory;

import java.util.List;

/** A page of the inventory ({@code GET /api/v1/machines}). */
public record MachinePage(List<MachineSummary> items, int page, int size, long total) {
}
