package io.tierfs.node.cli;

import io.tierfs.common.FsException;
import io.tierfs.common.Version;
import io.tierfs.common.config.ConfigException;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The `tierfs` command line: dispatches to a {@link Command}, turns expected failures into one line + exit 1. */
public final class Main {
    private final Map<String, Command> commands = new LinkedHashMap<>();

    public Main() {
        for (Command c : List.of(new MountCommand(), new UmountCommand(), new StatusCommand(), new WhereCommand(),
                new BenchCommand(), new SimCommand(), new TopCommand(), new NodeCommand(), new NodesCommand(),
                new FsckCommand())) {
            commands.put(c.name(), c);
        }
        PolicyCommands.all().forEach(c -> commands.put(c.name(), c));
    }

    public static void main(String[] args) {
        int rc = new Main().run(Arrays.asList(args), System.out, System.err);
        System.out.flush();
        System.exit(rc);
    }

    public int run(List<String> argv, PrintStream out, PrintStream err) {
        if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("-h") || argv.get(0).equals("help")) {
            help(out);
            return argv.isEmpty() ? 2 : 0;
        }
        if (argv.get(0).equals("--version") || argv.get(0).equals("version")) {
            out.println("tierfs " + Version.PRODUCT + " (state format " + Version.STATE_FORMAT + ", Java "
                    + Runtime.version() + ")");
            return 0;
        }
        Command c = commands.get(argv.get(0));
        if (c == null) {
            err.println("tierfs: unknown command '" + argv.get(0) + "' (see tierfs --help)");
            return 2;
        }
        List<String> rest = argv.subList(1, argv.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println("usage: " + c.usage());
            out.println(c.summary());
            return 0;
        }
        try {
            return c.run(rest, out, err);
        } catch (Args.UsageException e) {
            err.println("tierfs " + c.name() + ": " + e.getMessage() + " (usage: " + c.usage() + ")");
            return 2;
        } catch (CliException | ConfigException | IllegalArgumentException e) {
            err.println("tierfs " + c.name() + ": " + e.getMessage());
            return 1;
        } catch (FsException e) {
            err.println("tierfs " + c.name() + ": " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("tierfs " + c.name() + ": failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private void help(PrintStream out) {
        out.println("tierfs " + Version.PRODUCT + " - a three-tier (DRAM / SSD / HDD) hierarchical storage manager");
        out.println();
        out.println("usage: tierfs COMMAND [ARGS]");
        out.println();
        out.println("commands:");
        for (Command c : commands.values()) {
            out.printf("  %-8s %s%n", c.name(), c.summary());
        }
        out.println();
        out.println("  --help    this text (tierfs COMMAND --help for one command)");
        out.println("  --version print the version");
        out.println();
        out.println("environment: TIERFS_STATE (default state directory, else ~/.tierfs)");
    }
}
