package io.tierfs.node.metrics;

import org.apache.hadoop.metrics2.impl.MetricsSystemImpl;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Starts a metrics system with its configuration read the usual hadoop-metrics2 way, i.e. from
 * {@code hadoop-metrics2-tierfs.properties} (else {@code hadoop-metrics2.properties}) found on the class path,
 * with the node's state directory searched first: metrics2 looks the file up through the context class loader,
 * so the directory is put in front of it while the system reads its configuration.
 */
final class MetricsConfigDir {
    private MetricsConfigDir() {
    }

    static void init(MetricsSystemImpl system, String prefix, Path dir) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        ClassLoader parent = previous != null ? previous : MetricsConfigDir.class.getClassLoader();
        try (URLClassLoader withDir = new URLClassLoader(new URL[]{dir.toUri().toURL()}, parent)) {
            t.setContextClassLoader(withDir);
            system.init(prefix);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("bad metrics configuration directory " + dir, e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot close class loader of " + dir, e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
