package io.ctxprop.telemetry.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;

/**
 * Adds backend-specific resource attributes (the Phoenix or Arize project) to every span it
 * exports. Phoenix and Arize may name different projects, yet share one tracer provider, so the
 * resource is completed per exporter rather than on the provider. The merge is done once per
 * resource the spans come with (one per tracer provider), not once per span and batch.
 */
final class ProjectResourceSpanExporter implements SpanExporter {

    private final SpanExporter delegate;
    private final Resource extra;
    /** The last resource seen and its merge with {@link #extra}; replaced whole, so read without a lock. */
    private volatile Merged merged;

    private record Merged(Resource base, Resource withProject) {
    }

    ProjectResourceSpanExporter(SpanExporter delegate, Resource extra) {
        this.delegate = delegate;
        this.extra = extra;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        List<SpanData> withProject = spans.stream().<SpanData>map(WithResource::new).toList();
        return delegate.export(withProject);
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }

    /** The spans of one provider share its resource instance: merged once, then the same instance is handed out. */
    Resource withProject(Resource base) {
        Merged last = merged;
        if (last == null || last.base() != base) {
            last = new Merged(base, base.merge(extra));
            merged = last;
        }
        return last.withProject();
    }

    private final class WithResource extends DelegatingSpanData {
        private final Resource resource;

        WithResource(SpanData span) {
            super(span);
            this.resource = withProject(span.getResource());
        }

        @Override
        public Resource getResource() {
            return resource;
        }
    }
}
