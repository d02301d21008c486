package io.tierfs.node.gateway;

/**
 * What the gateway's operator routes (status page, /metrics, /api/v1/dashboard) ask of the node; an interface so
 * that the gateway does not depend on how metrics are kept.
 */
public interface Observability {
    /** The Prometheus text exposition of the node's metrics. */
    String prometheusText();

    /** The status page's extra figures (history, migrations, lent memory); any Jackson-serializable value. */
    Object dashboard();
}
