package io.tierfs.node.cli;

import java.io.PrintStream;
import java.util.List;

/** One `tierfs` sub-command. Returns the process exit code; prints one clear line on error. */
public interface Command {
    String name();

    /** One line for `tierfs --help`. */
    String summary();

    /** The usage line(s) for `tierfs NAME --help`. */
    String usage();

    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
