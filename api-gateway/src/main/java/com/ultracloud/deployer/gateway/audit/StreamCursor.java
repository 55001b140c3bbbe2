package com.ultracloud.deployer.gateway.audit;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How far a stream client has read the store: every position up to {@code index} except {@code gaps}, positions
 * whose events were not committed yet when later ones were (two transactions commit out of position order). A
 * late event fills its gap: it is delivered once, never skipped because a later one went first. The SSE id is this
 * cursor: the position alone ({@code 42}) when no gap is open, which is nearly always, else the position and the
 * open gaps ({@code 42:39,41}). {@code Last-Event-ID} hands it back to resume exactly where the client was.
 */
record StreamCursor(GapAwareTrackingToken token) {

    /** Gaps further behind than this are given up, as Axon's processors give them up. */
    static final int MAX_GAP_OFFSET = 10_000;
    private static final Pattern ID = Pattern.compile("(-1|\\d{1,18})(?::(\\d{1,18}(?:,\\d{1,18}){0,9999}))?");

    /** Before the first event of the store. */
    static StreamCursor start() {
        return new StreamCursor(GapAwareTrackingToken.newInstance(-1, Set.of()));
    }

    static StreamCursor of(TrackingToken token) {
        return token instanceof GapAwareTrackingToken g ? new StreamCursor(g) : start();
    }

    /** The cursor an SSE id names; null when the id is not one. */
    static StreamCursor parse(String id) {
        var m = id == null ? null : ID.matcher(id.strip());
        if (m == null || !m.matches()) {
            return null;
        }
        long index = Long.parseLong(m.group(1));
        SortedSet<Long> gaps = new TreeSet<>();
        if (m.group(2) != null) {
            for (String g : m.group(2).split(",")) {
                long gap = Long.parseLong(g);
                if (gap >= index) {
                    return null;
                }
                gaps.add(gap);
            }
        }
        return new StreamCursor(GapAwareTrackingToken.newInstance(index, gaps));
    }

    String id() {
        return token.getGaps().isEmpty() ? String.valueOf(token.getIndex())
                : token.getIndex() + ":" + token.getGaps().stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    boolean covers(long position) {
        return position <= token.getIndex() && !token.getGaps().contains(position);
    }

    StreamCursor advanceTo(long position) {
        return new StreamCursor(token.advanceTo(position, MAX_GAP_OFFSET));
    }

    /**
     * Without the gaps that {@code reader}, a reader of the store that has gone past them, no longer waits for: given
     * up after Axon's gap timeout (a rolled-back transaction leaves a gap that never fills). A gap it filled was
     * delivered to this client too, so only given-up gaps are dropped.
     */
    StreamCursor withoutGapsGivenUpBy(GapAwareTrackingToken reader) {
        if (token.getGaps().isEmpty()) {
            return this;
        }
        SortedSet<Long> open = new TreeSet<>();
        for (long gap : token.getGaps()) {
            if (gap > reader.getIndex() || reader.getGaps().contains(gap)) {
                open.add(gap);
            }
        }
        return open.size() == token.getGaps().size() ? this
                : new StreamCursor(GapAwareTrackingToken.newInstance(token.getIndex(), open));
    }

    /**
     * The store position of the event read with token {@code after} by a reader whose token was {@code before}: the
     * new index when the index moved. Null when it did not: the event filled a gap, and the JDBC engine's token names
     * the reader's index, not the event's own position; the caller asks the store (rare: a late commit).
     */
    static Long positionBetween(GapAwareTrackingToken before, GapAwareTrackingToken after) {
        return before == null || after.getIndex() > before.getIndex() ? after.getIndex() : null;
    }
}
