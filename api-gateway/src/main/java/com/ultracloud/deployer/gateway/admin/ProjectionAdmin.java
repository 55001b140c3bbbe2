package com.ultracloud.deployer.gateway.admin;

import com.ultracloud.deployer.gateway.problem.ConflictException;
import com.ultracloud.deployer.gateway.problem.NotFoundException;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Status and rebuild of the read models. A rebuild is Axon's replay: stop the processor, reset its
 * tokens (its {@code @ResetHandler} clears the read model), start it again; it then refolds the
 * whole event store while the API keeps answering.
 */
@Component
public class ProjectionAdmin {

    private static final Logger log = LoggerFactory.getLogger(ProjectionAdmin.class);

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;

    ProjectionAdmin(EventProcessingConfiguration processing, EventStore eventStore) {
        this.processing = processing;
        this.eventStore = eventStore;
    }

    public List<ProcessorStatus> status() {
        long head = position(eventStore.createHeadToken());
        return processing.eventProcessors().values().stream()
                .filter(StreamingEventProcessor.class::isInstance)
                .map(StreamingEventProcessor.class::cast)
                .map(p -> status(p, head))
                .sorted(Comparator.comparing(ProcessorStatus::name))
                .toList();
    }

    public ProcessorStatus status(String name) {
        return status().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> unknown(name));
    }

    /**
     * Rebuilds the read model behind {@code name}. A processor that cannot be reset (sagas: replaying
     * them would re-run workflows) is refused before it is touched; a reset that fails (another replica
     * holds a segment, a reset handler throws) leaves the tokens where they were, and the processor is
     * started again either way, so a refused or failed replay never leaves it stopped.
     *
     * @throws ConflictException (409) when the processor cannot be reset or the reset failed
     */
    public ProcessorStatus replay(String name) {
        StreamingEventProcessor processor = processing.eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow(() -> unknown(name));
        if (!processor.supportsReset()) {
            throw new ConflictException("replay-not-supported", "processor '" + name + "' cannot be replayed: "
                    + "it drives workflows (a saga), and replaying its events would run their steps again; "
                    + "only read models can be rebuilt (" + resettable() + ")", Map.of("processor", name));
        }
        processor.shutDown();
        try {
            processor.resetTokens();
        } catch (RuntimeException e) {
            log.warn("replay of processor {} failed; restarting it at its previous position", name, e);
            throw new ConflictException("replay-failed", "the replay of processor '" + name + "' failed and nothing "
                    + "was reset: " + rootMessage(e) + "; the processor was restarted at its previous position",
                    Map.of("processor", name));
        } finally {
            processor.start();
        }
        return status(name);
    }

    private List<String> resettable() {
        return processing.eventProcessors().values().stream()
                .filter(StreamingEventProcessor.class::isInstance)
                .map(StreamingEventProcessor.class::cast)
                .filter(StreamingEventProcessor::supportsReset)
                .map(StreamingEventProcessor::getName).sorted().toList();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private NotFoundException unknown(String name) {
        return new NotFoundException("no projection '" + name + "'; projections are "
                + status().stream().map(ProcessorStatus::name).toList(), null);
    }

    private static ProcessorStatus status(StreamingEventProcessor p, long head) {
        List<SegmentStatus> segments = p.processingStatus().values().stream()
                .map(ProjectionAdmin::segment)
                .sorted(Comparator.comparingInt(SegmentStatus::segment))
                .toList();
        long slowest = segments.stream().mapToLong(SegmentStatus::position).min().orElse(-1);
        boolean replaying = segments.stream().anyMatch(SegmentStatus::replaying);
        Replay replay = null;
        if (replaying) {
            long target = segments.stream().filter(SegmentStatus::replaying).mapToLong(SegmentStatus::replayTarget).max().orElse(0);
            long done = Math.max(0, slowest + 1);
            replay = new Replay(slowest, target, target <= 0 ? 0 : Math.min(100, (int) (done * 100 / (target + 1))));
        }
        return new ProcessorStatus(p.getName(), p.isRunning(), p.isError(), replaying, replay, head,
                segments.isEmpty() ? null : Math.max(0, head - slowest), segments);
    }

    /**
     * One segment. Axon keeps flagging a replayed segment {@code isReplaying} until it handles an event past the
     * position of the reset, which on a quiet store may never come; the replay is over once the segment has reached
     * that position, so {@code replaying} says so.
     */
    private static SegmentStatus segment(EventTrackerStatus s) {
        long position = position(s);
        OptionalLong target = s.getResetPosition();
        boolean replaying = s.isReplaying() && (target.isEmpty() || position < target.getAsLong());
        return new SegmentStatus(s.getSegment().getSegmentId(), position, s.isCaughtUp(), replaying,
                replaying && target.isPresent() ? target.getAsLong() : null,
                s.isErrorState() ? String.valueOf(s.getError()) : null);
    }

    private static long position(EventTrackerStatus s) {
        OptionalLong pos = s.getCurrentPosition();
        return pos.isPresent() ? pos.getAsLong() : -1;
    }

    private static long position(TrackingToken token) {
        if (token == null) {
            return -1;
        }
        OptionalLong pos = token.position();
        return pos.isPresent() ? pos.getAsLong() : -1;
    }

    /**
     * One processor: {@code lag} is how many events of the store it has yet to handle. Caught up
     * means every segment has handled the whole store. {@code replaying} is true while a rebuild has not yet
     * reached the store's head as of the rebuild's start; {@code replay} then says how far it is
     * ({@code position} of {@code target}, {@code percent}).
     */
    public record ProcessorStatus(String name, boolean running, boolean error, boolean replaying, Replay replay,
                                  long headPosition, Long lag, List<SegmentStatus> segments) {
        public boolean caughtUp() {
            return !segments.isEmpty() && segments.stream().allMatch(SegmentStatus::caughtUp)
                    && (lag == null || lag == 0);
        }
    }

    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record SegmentStatus(int segment, long position, boolean caughtUp, boolean replaying, Long replayTarget,
                                String error) {
    }

    /** How far a rebuild is: the slowest segment's {@code position} of the {@code target} it replays up to. */
    public record Replay(long position, long target, int percent) {
    }
}
