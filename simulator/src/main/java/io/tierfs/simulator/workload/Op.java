package io.tierfs.simulator.workload;

/** What a request does. {@code OTHER} is a traced operation the data path does not model (open, stat...). */
public enum Op {
    READ, WRITE, DELETE, OTHER
}
