package com.ultracloud.deployer.installer.agent;

import java.time.Duration;
import java.time.Instant;

/**
 * The agent's time: deadlines (activation, confirm) and waits (health polling, backoff) go through it, so tests
 * can let minutes pass without sleeping them.
 */
public interface AgentClock {

    Instant now();

    void sleep(Duration duration) throws InterruptedException;

    AgentClock SYSTEM = new AgentClock() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (!duration.isNegative() && !duration.isZero()) {
                Thread.sleep(duration.toMillis());
            }
        }
    };
}
