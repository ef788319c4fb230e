package io.datapusher.common;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;

/** Reads a failure through its chain of causes; the one place that walks it. */
public final class Causes {
    private Causes() {
    }

    /** What a CompletableFuture stage failed with, without the CompletionException around it. */
    public static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Whether the failure or one of its causes passes the test; a cycle in the chain ends the walk. */
    public static boolean any(Throwable failure, Predicate<Throwable> test) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the failure or one of its causes is a {@code type}. */
    public static boolean has(Throwable failure, Class<? extends Throwable> type) {
        return any(failure, type::isInstance);
    }
}
