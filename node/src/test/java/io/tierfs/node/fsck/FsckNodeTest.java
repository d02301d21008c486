package io.tierfs.node.fsck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierfs.common.Caller;
import io.tierfs.common.FileType;
import io.tierfs.common.InodeRef;
import io.tierfs.common.config.TierFsConfig;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.api.Node;
import io.tierfs.meta.client.DirGateway;
import io.tierfs.meta.state.Dentry;
import io.tierfs.meta.state.DirCommand;
import io.tierfs.meta.state.RenameIntent;
import io.tierfs.node.LogSetup;
import io.tierfs.node.StateDir;
import io.tierfs.node.cli.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `tierfs fsck` on a real state directory: the metadata node (Pekko, JDBC journal on H2) and the tier storage
 * started and stopped as a node does, corruption injected through raw entity commands and behind the tier
 * engine's back, then checked, repaired and checked again through the CLI.
 */
class FsckNodeTest {
    private static final long ROOT = InodeRef.ROOT_INO;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private Path state;
    private Path conf;

    /** What one in-process CLI run returned and printed. */
    record Outcome(int rc, String out, String err) {
    }

    @BeforeEach
    void config() throws Exception {
        state = tmp.resolve("state");
        conf = Files.writeString(tmp.resolve("tierfs.conf"), "tierfs {\n chunk-size = 64KiB\n tiers = [\n"
                + "  { name = dram, kind = dram, path = \"" + tmp.resolve("dram") + "\", capacity = 64MiB }\n"
                + "  { name = ssd, kind = ssd, path = \"" + tmp.resolve("ssd") + "\", capacity = 64MiB }\n"
                + "  { name = hdd, kind = hdd, path = \"" + tmp.resolve("hdd") + "\", capacity = 1GiB }\n ]\n}\n");
    }

    /** The CLI pointed the JVM's log file into the state directory: point it back at the default. */
    @AfterEach
    void resetLogDirectory() {
        LogSetup.useDirectory(Path.of(System.getProperty("java.io.tmpdir")));
    }

    private static Outcome cli(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new Main().run(List.of(argv), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Outcome fsck(String... more) {
        List<String> argv = new ArrayList<>(List.of("fsck", "--state", state.toString(), "--config", conf.toString()));
        argv.addAll(List.of(more));
        return cli(argv.toArray(String[]::new));
    }

    /** Starts the node's metadata and storage on the state directory (as fsck does), runs {@code work}, stops. */
    private void withNode(Consumer<OfflineNode> work) {
        TierFsConfig cfg = TierFsConfig.load(state, conf);
        try (OfflineNode node = OfflineNode.start(cfg, StateDir.open(state), Clock.systemUTC())) {
            work.accept(node);
        }
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Node file(OfflineNode node, long dir, String name, byte[] content) {
        Namespace ns = node.meta().namespace();
        Node n = ns.create(dir, name, 0644, Caller.ROOT, true);
        node.storage().write(n.ref().ino(), 0, ByteBuffer.wrap(content));
        node.storage().fsync(n.ref().ino());
        ns.updateSize(n.ref(), content.length, System.currentTimeMillis() * 1_000_000, true);
        return n;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static long bytesOnTiers(OfflineNode node, long ino) {
        return new TierDataSource(node.storage().engine()).inodesWithData().stream().filter(d -> d.ino() == ino)
                .mapToLong(InodeData::bytes).sum();
    }

    private static Set<String> kinds(JsonNode report) {
        Set<String> k = new HashSet<>();
        report.path("problems").forEach(p -> k.add(p.path("kind").asText()));
        return k;
    }

    private static JsonNode problem(JsonNode report, String kind) {
        for (JsonNode p : report.path("problems")) {
            if (p.path("kind").asText().equals(kind)) {
                return p;
            }
        }
        throw new AssertionError("no " + kind + " in " + report.toPrettyString());
    }

    @Test
    void corruptionIsReportedByKindRepairedAndTheSecondRunIsClean() throws Exception {
        byte[] big = random(200_000, 1);
        long[] ids = new long[6]; // a, b, f, the orphan chunks' inode, its bytes and the orphan inode's on the tiers
        withNode(node -> {
            Namespace ns = node.meta().namespace();
            long a = ns.mkdir(ROOT, "a", 0755, Caller.ROOT).ref().ino();
            long b = ns.mkdir(a, "b", 0755, Caller.ROOT).ref().ino();
            Node f = file(node, a, "f", big);
            ns.link(f.ref(), b, "f-link");
            file(node, b, "g", random(1000, 2));
            ns.symlink(ROOT, "sym", "/a/f", Caller.ROOT);
            ids[0] = a;
            ids[1] = b;
            ids[2] = f.ref().ino();
        });
        Outcome clean = fsck();
        assertEquals(0, clean.rc(), clean.toString());
        assertTrue(clean.out().contains("fsck: clean"), clean.out());
        assertTrue(clean.out().contains("3 directories") && clean.out().contains("3 files"), clean.out());

        long a = ids[0];
        long b = ids[1];
        long f = ids[2];
        withNode(node -> {
            Namespace ns = node.meta().namespace();
            DirGateway gw = node.meta().clusterNamespace().gateway();
            gw.ask(a, new DirCommand.AddRemote("ghost", new Dentry(999_999_999L, FileType.REGULAR, a)));
            gw.ask(a, new DirCommand.AdjustLink(f, +1));
            Node leaked = file(node, a, "leaked", random(100_000, 3));
            gw.ask(a, new DirCommand.RemoveDentry("leaked", leaked.ref().ino()));
            Node gone = file(node, b, "gone", random(300_000, 4));
            ns.unlink(b, "gone"); // the namespace forgets it; its chunks stay behind the tier engine's back
            ids[3] = gone.ref().ino();
            ids[4] = bytesOnTiers(node, gone.ref().ino());
            ids[5] = bytesOnTiers(node, leaked.ref().ino());
            assertTrue(ids[4] >= 300_000 && ids[5] >= 100_000, "every copy counts: " + ids[4] + ", " + ids[5]);
            long crashed = ns.mkdir(ROOT, "crashed-mkdir", 0755, Caller.ROOT).ref().ino();
            gw.ask(ROOT, new DirCommand.RemoveDentry("crashed-mkdir", crashed));
            long c = ns.mkdir(ROOT, "c", 0755, Caller.ROOT).ref().ino();
            gw.ask(c, new DirCommand.SetParent(a));
            // a directory rename interrupted after its intent was persisted: recovery re-drives it
            gw.ask(a, new DirCommand.BeginDirRename(RenameIntent.of(1L << 50, "b", new io.tierfs.meta.state.Dentry(b, io.tierfs.common.FileType.DIRECTORY, b), ROOT, "b-moved", null)));
        });

        Outcome text = fsck();
        assertEquals(1, text.rc(), text.toString());
        for (String kind : List.of("dangling-dentry", "wrong-nlink", "orphan-inode", "orphan-chunks", "unreachable-dir",
                "wrong-parent")) {
            assertTrue(text.out().lines().anyMatch(l -> l.startsWith(kind + " ")), kind + " line in:\n" + text.out());
        }
        assertTrue(text.out().contains("/a/ghost") && text.out().contains("--repair would fix"), text.out());
        // the census asks a directory for its intents before its recovery can finish them
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("pending-rename ") && l.contains("re-driven by recovery")),
                text.out());

        Outcome repair = fsck("--repair", "--json");
        assertEquals(1, repair.rc(), repair.toString());
        JsonNode r = JSON.readTree(repair.out());
        Set<String> expected = Set.of("dangling-dentry", "wrong-nlink", "orphan-inode", "orphan-chunks",
                "unreachable-dir", "wrong-parent");
        Set<String> found = kinds(r);
        found.remove("pending-rename"); // reported when the census saw it before recovery finished it
        assertEquals(expected, found, r.toPrettyString());
        assertEquals(ids[4], problem(r, "orphan-chunks").path("dataBytes").asLong());
        assertEquals(ids[3], problem(r, "orphan-chunks").path("ino").asLong());
        assertTrue(problem(r, "orphan-chunks").path("detail").asText().startsWith("5 chunk(s)"), r.toPrettyString());
        assertEquals(ids[5], problem(r, "orphan-inode").path("dataBytes").asLong());
        assertEquals("/a/ghost", problem(r, "dangling-dentry").path("subject").asText());
        for (JsonNode p : r.path("problems")) {
            if (!p.path("repair").isNull()) {
                assertTrue(p.path("repaired").asBoolean(), p.toPrettyString());
            }
        }
        assertEquals(0, r.path("summary").path("unrepaired").asLong(), r.toPrettyString());

        Outcome again = fsck("--json");
        assertEquals(0, again.rc(), again.toString());
        JsonNode after = JSON.readTree(again.out());
        assertTrue(after.path("clean").asBoolean(), after.toPrettyString());
        assertEquals(4, after.path("summary").path("directories").asLong(), "/, a, c, b-moved: " + after);
        withNode(node -> {
            Namespace ns = node.meta().namespace();
            assertEquals(b, ns.lookup(ROOT, "b-moved").ref().ino(), "recovery finished the rename");
            Node fNode = ns.lookup(a, "f");
            assertEquals(2, fNode.attr().nlink());
            ByteBuffer back = ByteBuffer.allocate(big.length);
            node.storage().read(f, 0, back);
            assertArrayEquals(big, back.array(), "a repair never touches the data of a live file");
            assertTrue(node.storage().where(ids[3]).isEmpty(), "orphan chunks freed");
        });
    }

    @Test
    void aStateDirectoryLockedByARunningNodeIsRefused() throws Exception {
        StateDir.open(state).close(); // a node's state directory (FORMAT written) ...
        Files.createDirectories(state.resolve("meta")); // ... with a journal
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LockHolder.class.getName(), state.toString());
        Path holderErr = tmp.resolve("holder.err");
        Process holder = new ProcessBuilder(cmd).redirectError(holderErr.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine(), () -> "lock holder: " + read(holderErr));
            Outcome o = fsck();
            assertEquals(1, o.rc(), o.toString());
            assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
            assertTrue(o.err().contains("in use by another TierFS node (pid " + holder.pid() + ")")
                    && o.err().contains("stop it before running fsck"), o.err());
            assertEquals("", o.out());
        } finally {
            holder.getOutputStream().close();
            if (!holder.waitFor(30, TimeUnit.SECONDS)) {
                holder.destroyForcibly();
            }
        }
    }

    @Test
    void usageErrorsExitTwoAndAStateWithoutAJournalExitsOne() {
        assertEquals(2, fsck("stray").rc());
        assertEquals(2, fsck("--fix").rc());
        Outcome none = fsck();
        assertEquals(1, none.rc(), none.toString());
        assertTrue(none.err().contains("no TierFS state in " + state), none.err());
        assertTrue(!Files.exists(state), "nothing is created");
        Outcome help = cli("--help");
        assertTrue(help.out().contains("  fsck "), help.out());
        assertEquals(0, cli("fsck", "--help").rc());
    }
}
