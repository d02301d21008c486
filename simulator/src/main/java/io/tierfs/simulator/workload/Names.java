package io.tierfs.simulator.workload;

import java.util.ArrayList;
import java.util.List;

/** Job names by id (files are numbered only: the report names jobs, not files). */
public final class Names {
    private final List<String> jobs = new ArrayList<>();

    /** Adds a job name and returns its id. */
    public int addJob(String name) {
        jobs.add(name);
        return jobs.size() - 1;
    }

    public int jobCount() {
        return jobs.size();
    }

    public String job(int id) {
        return id >= 0 && id < jobs.size() ? jobs.get(id) : "job-" + id;
    }
}
