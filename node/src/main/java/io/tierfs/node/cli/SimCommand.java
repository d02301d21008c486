package io.tierfs.node.cli;

import io.tierfs.simulator.cli.SimCommandLine;

import java.io.PrintStream;
import java.util.List;

/** `tierfs sim`: the tier simulator (virtual time, no mount needed); see docs/simulator.md. */
public final class SimCommand implements Command {
    @Override
    public String name() {
        return "sim";
    }

    @Override
    public String summary() {
        return "simulate tiers, policies and workloads or a trace in virtual time; writes a report";
    }

    @Override
    public String usage() {
        return SimCommandLine.USAGE;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        return SimCommandLine.run(args, out, err);
    }
}
