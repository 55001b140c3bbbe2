package com.ultracloud.deployer.gateway;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the SQL statements executed and the rows read (result-set rows fetched) by the gateway's
 * request threads (Tomcat's {@code -exec-} workers): what one request costs the database, apart from
 * the event processors and schedulers working on their own threads. Wraps every {@link DataSource}
 * bean (JPA, Axon's JPA storage, JDBC) in JDK proxies; nothing beyond the JDK is needed.
 */
public final class StatementCounter {

    private static final AtomicLong STATEMENTS = new AtomicLong();
    private static final AtomicLong ROWS = new AtomicLong();
    private static final List<String> SQL = new ArrayList<>();
    private static volatile boolean recordSql;

    private StatementCounter() {
    }

    /** Statements and rows since {@link #mark()}; {@code sql} are the statements when recorded. */
    public record Cost(long statements, long rows, long millis, List<String> sql) {
        @Override
        public String toString() {
            return statements + " stmts, " + rows + " rows, " + millis + " ms";
        }
    }

    /** A point to measure from. */
    public record Mark(long statements, long rows, long nanos) {
        public Cost since() {
            long elapsed = (System.nanoTime() - nanos) / 1_000_000;
            synchronized (SQL) {
                List<String> sql = List.copyOf(SQL);
                return new Cost(STATEMENTS.get() - statements, ROWS.get() - rows, elapsed, sql);
            }
        }
    }

    public static Mark mark() {
        synchronized (SQL) {
            SQL.clear();
            recordSql = true;
        }
        return new Mark(STATEMENTS.get(), ROWS.get(), System.nanoTime());
    }

    private static boolean counted() {
        return Thread.currentThread().getName().contains("-exec-");
    }

    private static void statement(String sql) {
        if (counted()) {
            STATEMENTS.incrementAndGet();
            if (recordSql && sql != null) {
                synchronized (SQL) {
                    SQL.add(sql);
                }
            }
        }
    }

    /** Add it to the application's sources: it wraps the data source. */
    @Configuration(proxyBeanMethods = false)
    public static class Wiring {
        @Bean
        static BeanPostProcessor statementCountingDataSource() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return bean instanceof DataSource ds ? proxy(DataSource.class, ds, null) : bean;
                }
            };
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, String sql) {
        return (T) Proxy.newProxyInstance(StatementCounter.class.getClassLoader(), new Class<?>[]{type},
                new Handler(target, sql));
    }

    private static final class Handler implements InvocationHandler {
        private final Object target;
        private final String sql;

        Handler(Object target, String sql) {
            this.target = target;
            this.sql = sql;
        }

        @Override
        public Object invoke(Object p, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("unwrap") && args != null && args[0] instanceof Class<?> c && c.isInstance(target)) {
                return target;
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof Connection c && !(result instanceof Proxy)) {
                return proxy(Connection.class, c, null);
            }
            if (result instanceof CallableStatement s) {
                return proxy(CallableStatement.class, s, args != null && args.length > 0 ? String.valueOf(args[0]) : null);
            }
            if (result instanceof PreparedStatement s) {
                return proxy(PreparedStatement.class, s, args != null && args.length > 0 ? String.valueOf(args[0]) : null);
            }
            if (result instanceof Statement s && target instanceof Connection) {
                return proxy(Statement.class, s, null);
            }
            if (target instanceof Statement) {
                if (name.startsWith("execute")) {
                    statement(args != null && args.length > 0 && args[0] instanceof String s ? s : sql);
                }
                if (result instanceof ResultSet rs) {
                    return proxy(ResultSet.class, rs, sql);
                }
            }
            if (target instanceof ResultSet && name.equals("next") && Boolean.TRUE.equals(result) && counted()) {
                ROWS.incrementAndGet();
            }
            return result;
        }
    }
}
