package com.ultracloud.deployer.installer.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** Test time: {@link #sleep} moves the clock on at once, so a five-minute confirm window takes milliseconds. */
final class ManualClock implements AgentClock {

    private final AtomicReference<Instant> now;

    ManualClock(Instant start) {
        now = new AtomicReference<>(start);
    }

    @Override
    public Instant now() {
        return now.get();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        now.updateAndGet(t -> t.plus(duration));
    }

    void advance(Duration duration) {
        now.updateAndGet(t -> t.plus(duration));
    }
}
