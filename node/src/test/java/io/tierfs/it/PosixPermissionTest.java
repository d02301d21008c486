package io.tierfs.it;

import static io.tierfs.it.Sys.P;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Permission checks as seen by another user: run as root, create files, then act as nobody (65534) through
 * setpriv. On the mount this needs allow_other and permission checking (default_permissions or the FS's own).
 */
class PosixPermissionTest extends PosixTestBase {

    private static final int NOBODY = 65534;

    @BeforeEach
    void rootOnly() {
        assumeTrue(isRoot(), "switching to user nobody needs root (CI runs as root)");
        Sys.ok(P.chmod(fs.root().toString(), 0755), "chmod root 0755");
        Sys.ok(P.chmod(dir.toString(), 0755), "chmod test dir 0755");
    }

    private static Proc.Result asNobody(String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        cmd.addAll(List.of(command));
        return Proc.run(cmd);
    }

    @Test
    void nobodyCannotReadA0600RootFile() throws Exception {
        Path f = dir.resolve("secret");
        Sys.writeFile(f, "secret".getBytes(StandardCharsets.UTF_8));
        Sys.ok(P.chmod(f.toString(), 0600), "chmod 0600");
        Proc.Result r = asNobody("cat", f.toString());
        assertNotEquals(0, r.exit(), "nobody read a 0600 root file: " + r);
        assertTrue(r.stderr().contains("Permission denied"), r.toString());
    }

    @Test
    void nobodyCanReadA0644FileButNotWriteIt() throws Exception {
        Path f = dir.resolve("public");
        Sys.writeFile(f, "public".getBytes(StandardCharsets.UTF_8));
        Sys.ok(P.chmod(f.toString(), 0644), "chmod 0644");
        Proc.Result r = asNobody("cat", f.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals("public", r.stdout());
        Proc.Result w = asNobody("sh", "-c", "echo x >> \"$0\"", f.toString());
        assertNotEquals(0, w.exit(), "nobody appended to a 0644 root file: " + w);
        assertTrue(w.stderr().contains("Permission denied"), w.toString());
        assertEquals(6, Sys.lstat(f).st_size(), "file unchanged");
    }

    @Test
    void nobodyCreatesIn0777DirNotIn0755RootDir() throws Exception {
        Path open = dir.resolve("open");
        Sys.ok(P.mkdir(open.toString(), 0777), "mkdir open");
        Sys.ok(P.chmod(open.toString(), 0777), "chmod 0777");
        Proc.Result ok = asNobody("touch", open.resolve("mine").toString());
        assertEquals(0, ok.exit(), ok.toString());
        assertEquals(NOBODY, Sys.lstat(open.resolve("mine")).uid(), "new file is owned by its creator");
        assertEquals(NOBODY, Sys.lstat(open.resolve("mine")).gid(), "new file has its creator's group");

        Path closed = dir.resolve("closed");
        Sys.ok(P.mkdir(closed.toString(), 0755), "mkdir closed");
        Sys.ok(P.chmod(closed.toString(), 0755), "chmod 0755");
        Proc.Result denied = asNobody("touch", closed.resolve("nope").toString());
        assertNotEquals(0, denied.exit(), "nobody created a file in a 0755 root dir: " + denied);
        assertTrue(denied.stderr().contains("Permission denied"), denied.toString());
        assertTrue(Sys.lstatRc(closed.resolve("nope")) < 0, "no file was created");
        Proc.Result mkdirDenied = asNobody("mkdir", closed.resolve("d").toString());
        assertNotEquals(0, mkdirDenied.exit(), mkdirDenied.toString());
    }

    @Test
    void nobodyCannotTraverseA0700Dir() throws Exception {
        Path priv = dir.resolve("private");
        Sys.ok(P.mkdir(priv.toString(), 0700), "mkdir");
        Sys.ok(P.chmod(priv.toString(), 0700), "chmod 0700");
        Path f = priv.resolve("f");
        Sys.writeFile(f, "x".getBytes(StandardCharsets.UTF_8));
        Sys.ok(P.chmod(f.toString(), 0644), "chmod 0644");
        Proc.Result r = asNobody("cat", f.toString());
        assertNotEquals(0, r.exit(), "nobody read through a 0700 dir: " + r);
        assertTrue(r.stderr().contains("Permission denied"), r.toString());
    }
}
