package io.tierfs.migration.policy.doc;

import java.util.List;
import java.util.stream.Collectors;

/** A policy document with problems: carries every one of them (never just the first). REST maps it to 400. */
public final class InvalidPolicyException extends RuntimeException {
    private final List<Problem> problems;

    public InvalidPolicyException(List<Problem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String summary(List<Problem> problems) {
        return "invalid policy (" + problems.size() + (problems.size() == 1 ? " problem): " : " problems): ")
                + problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
    }
}
