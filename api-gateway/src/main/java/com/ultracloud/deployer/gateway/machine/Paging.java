package com.ultracloud.deployer.gateway.machine;

import com.ultracloud.deployer.gateway.problem.FieldError;
import com.ultracloud.deployer.projection.inventory.InventoryListing;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The inventory's {@code page}, {@code size}, {@code sort} and {@code after}, checked in one place: a page
 * whose first row lies beyond what a database offset can address ({@code page × size} over 2³¹ − 1), a
 * sort that is not {@code field} or {@code field,asc|desc}, and a cursor that is not the {@code next} of a
 * page in the same sort (or comes with a page number) are refused, not passed on to fail there.
 */
record Paging(int page, int size, String sort, String after) {

    static final int MAX_SIZE = 500;
    static final Set<String> SORTABLE = InventoryListing.SORTABLE.keySet();

    /** The paging, with its sort normalised to {@code field} or {@code field,desc}; problems go to {@code errors}. */
    static Paging of(int page, int size, String sort, String after, List<FieldError> errors) {
        if (page < 0) {
            errors.add(new FieldError("page", "must be 0 or more"));
        }
        if (size < 1 || size > MAX_SIZE) {
            errors.add(new FieldError("size", "must be between 1 and " + MAX_SIZE));
        } else if (page > 0 && (long) page * size > Integer.MAX_VALUE) {
            errors.add(new FieldError("page", "too far: page × size must stay below " + Integer.MAX_VALUE));
        }
        String normalised = sort(sort, errors);
        if (after != null) {
            if (page != 0) {
                errors.add(new FieldError("after", "a cursor starts its own page: leave out page"));
            }
            InventoryListing.problemWith(after, normalised).ifPresent(p -> errors.add(new FieldError("after", p)));
        }
        return new Paging(page, size, normalised, after);
    }

    private static String sort(String sort, List<FieldError> errors) {
        if (sort == null || sort.isBlank()) {
            return null;
        }
        String[] parts = sort.split(",", -1);
        String field = parts[0].trim();
        String direction = parts.length > 1 ? parts[1].trim().toLowerCase(Locale.ROOT) : "asc";
        if (parts.length > 2 || !SORTABLE.contains(field) || !(direction.equals("asc") || direction.equals("desc"))) {
            errors.add(new FieldError("sort", "must be a field, optionally followed by ,asc or ,desc; fields are "
                    + SORTABLE.stream().sorted().toList()));
            return null;
        }
        return direction.equals("desc") ? field + ",desc" : field;
    }
}
