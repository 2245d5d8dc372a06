package io.ctxprop.telemetry.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every span gets its backend's project on its own resource, merged once per resource, never another resource's merge. */
class ProjectResourceSpanExporterTest {

    static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");

    final InMemorySpanExporter backend = InMemorySpanExporter.create();
    final ProjectResourceSpanExporter exporter = new ProjectResourceSpanExporter(backend,
            Resource.builder().put(BackendSpanProcessors.PROJECT_NAME, "phoenix-project").build());

    @Test
    void theSpansOfOneResourceShareOneMergedResourceWithTheProject() {
        Resource service = Resource.builder().put(SERVICE, "gateway").build();

        exporter.export(List.of(span("a", service), span("b", service)));
        exporter.export(List.of(span("c", service)));

        List<SpanData> sent = backend.getFinishedSpanItems();
        assertThat(sent).extracting(SpanData::getName).containsExactly("a", "b", "c");
        assertThat(sent).allSatisfy(span -> {
            assertThat(span.getResource().getAttribute(BackendSpanProcessors.PROJECT_NAME)).isEqualTo("phoenix-project");
            assertThat(span.getResource().getAttribute(SERVICE)).isEqualTo("gateway");
        });
        assertThat(sent.get(1).getResource()).as("merged once").isSameAs(sent.get(0).getResource()).isSameAs(sent.get(2).getResource());
    }

    @Test
    void aSpanWithAnotherResourceKeepsItsOwnAttributes() {
        Resource gateway = Resource.builder().put(SERVICE, "gateway").build();
        Resource application = Resource.builder().put(SERVICE, "application").build();

        exporter.export(List.of(span("a", gateway), span("b", application), span("c", gateway)));

        assertThat(backend.getFinishedSpanItems()).extracting(span -> span.getResource().getAttribute(SERVICE))
                .containsExactly("gateway", "application", "gateway");
        assertThat(backend.getFinishedSpanItems()).allSatisfy(span ->
                assertThat(span.getResource().getAttribute(BackendSpanProcessors.PROJECT_NAME)).isEqualTo("phoenix-project"));
    }

    @Test
    void theBackendsProjectWinsOverOneOnTheServiceResource() {
        Resource service = Resource.builder().put(SERVICE, "gateway").put(BackendSpanProcessors.PROJECT_NAME, "from-env").build();

        exporter.export(List.of(span("a", service)));

        assertThat(backend.getFinishedSpanItems().getFirst().getResource().getAttribute(BackendSpanProcessors.PROJECT_NAME))
                .isEqualTo("phoenix-project");
    }

    private static SpanData span(String name, Resource resource) {
        return TestSpanData.builder().setName(name).setKind(SpanKind.INTERNAL).setResource(resource)
                .setSpanContext(SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", TraceFlags.getSampled(),
                        TraceState.getDefault()))
                .setStartEpochNanos(1).setEndEpochNanos(2).setHasEnded(true).setStatus(StatusData.create(StatusCode.UNSET, "")).build();
    }
}
