package io.poolagent.telemetry;

import io.poolagent.config.AgentConfig;
import io.poolagent.config.PoolSettings;
import io.poolagent.pool.ConnectionPool;
import io.poolagent.pool.PoolEvents;
import io.poolagent.pool.TestPools;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finding (or not finding) an OpenTelemetry for a pool. */
class PoolTelemetryTest {

    /** An application API before 1.57: no isSet(), only the field. */
    static final class OldGlobal {
        @SuppressWarnings("unused")
        private static volatile Object globalOpenTelemetry;
    }

    /** An application API from 1.57 on. */
    static final class NewGlobal {
        static boolean set;

        public static boolean isSet() {
            return set;
        }
    }

    @Test
    void isSetAsksTheApiOrReadsItsField() throws Exception {
        assertFalse(PoolTelemetry.isSet(OldGlobal.class));
        OldGlobal.globalOpenTelemetry = new Object();
        assertTrue(PoolTelemetry.isSet(OldGlobal.class));
        assertFalse(PoolTelemetry.isSet(NewGlobal.class));
        NewGlobal.set = true;
        assertTrue(PoolTelemetry.isSet(NewGlobal.class));
    }

    @Test
    void withoutAnyOpenTelemetryAPoolStaysUnboundAndWorks() throws Exception {
        AgentConfig config = AgentConfig.load(null, Map.of(), null);
        PoolEvents[] made = new PoolEvents[1];
        ConnectionPool pool = TestPools.pool("app@h:5432/d", new PoolSettings(1, TimeUnit.SECONDS.toNanos(1), 5),
                p -> made[0] = Telemetry.factory(config).forPool(p));
        Connection c = pool.borrow();
        c.close();
        assertFalse(((PoolTelemetry) made[0]).isBound(), "nobody registered an SDK");
        assertNull(made[0].borrowContext());
    }

    @Test
    void opentelemetryFalseInstallsNothing() {
        assertNull(Telemetry.factory(AgentConfig.load("opentelemetry=false", Map.of(), null)));
    }
}
